package io.herald.analytics;

import io.herald.command.CommandEndpoint;
import io.herald.contract.ServiceAddresses;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.EmailSent;
import io.herald.event.domain.OrderCancelled;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.OrderShipped;
import io.herald.event.domain.PaymentFailed;
import io.herald.event.domain.PaymentRefunded;
import io.herald.event.domain.UserRegistered;
import io.herald.service.ReadModel;
import io.herald.service.ServiceContext;
import io.herald.projection.document.DocumentQuery;
import io.herald.projection.document.DocumentWriter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The analytics service: counters over the business flows ({@code analytics} read model: signups, orders by
 * outcome, revenue) and the CRM's leads, one per signup ({@code leads} read model). Actions on
 * {@value ServiceAddresses#ANALYTICS}: {@code summary}, {@code leads}.
 */
public final class AnalyticsService extends VerticleBase {

  static final String ANALYTICS = "analytics";
  static final String LEADS = "leads";
  private static final String SUMMARY = "summary";

  private final ServiceContext ctx;
  private ReadModel counters;
  private ReadModel leads;

  public AnalyticsService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  @Override
  public Future<?> start() {
    return ReadModel.start(ctx, ANALYTICS, Set.of(ANALYTICS), AnalyticsService::count)
        .compose(model -> {
          counters = model;
          return ReadModel.start(ctx, LEADS, Set.of(LEADS), AnalyticsService::lead);
        })
        .compose(model -> {
          leads = model;
          return CommandEndpoint.on(vertx, ServiceAddresses.ANALYTICS)
              .action("summary", this::summary)
              .action("leads", this::leads)
              .listen();
        });
  }

  @Override
  public Future<?> stop() {
    return ReadModel.stopAll(counters, leads);
  }

  private Future<JsonObject> summary(JsonObject query) {
    return counters.awaitPosition(query)
        .compose(v -> counters.get(ANALYTICS, SUMMARY))
        .map(doc -> doc.orElseGet(AnalyticsService::zero));
  }

  private Future<JsonObject> leads(JsonObject query) {
    return leads.awaitPosition(query)
        .compose(v -> leads.find(LEADS, DocumentQuery.all().limit(query.getInteger("limit", 1000))))
        .map(found -> new JsonObject().put("leads", new JsonArray(found)));
  }

  static JsonObject zero() {
    return new JsonObject()
        .put("usersRegistered", 0L)
        .put("ordersPlaced", 0L)
        .put("ordersPaid", 0L)
        .put("ordersShipped", 0L)
        .put("ordersCancelled", 0L)
        .put("paymentsFailed", 0L)
        .put("refunds", 0L)
        .put("emailsSent", 0L)
        .put("revenue", "0")
        .put("refunded", "0");
  }

  static Future<Void> count(DocumentWriter writer, RecordedEvent event) {
    Object data = event.data();
    String counter = data instanceof UserRegistered ? "usersRegistered"
        : data instanceof OrderCreated ? "ordersPlaced"
        : data instanceof OrderPaid ? "ordersPaid"
        : data instanceof OrderShipped ? "ordersShipped"
        : data instanceof OrderCancelled ? "ordersCancelled"
        : data instanceof PaymentFailed ? "paymentsFailed"
        : data instanceof PaymentRefunded ? "refunds"
        : data instanceof EmailSent ? "emailsSent"
        : null;
    if (counter == null) {
      return Future.succeededFuture();
    }
    return writer.update(ANALYTICS, SUMMARY, doc -> {
      JsonObject summary = doc == null ? zero() : doc;
      summary.put(counter, summary.getLong(counter, 0L) + 1);
      if (data instanceof OrderPaid paid) {
        summary.put("revenue", new BigDecimal(summary.getString("revenue")).add(paid.amount()).toPlainString());
      }
      if (data instanceof PaymentRefunded refund) {
        summary.put("refunded", new BigDecimal(summary.getString("refunded")).add(refund.amount()).toPlainString());
      }
      return summary.put("updatedAt", event.envelope().time().toString());
    });
  }

  static Future<Void> lead(DocumentWriter writer, RecordedEvent event) {
    if (!(event.data() instanceof UserRegistered u)) {
      return Future.succeededFuture();
    }
    return writer.put(LEADS, u.userId(), new JsonObject()
        .put("leadId", "lead-" + u.userId())
        .put("userId", u.userId())
        .put("email", u.email())
        .put("name", u.username())
        .put("source", "signup")
        .put("status", "new")
        .put("createdAt", event.envelope().time().toString()));
  }
}
