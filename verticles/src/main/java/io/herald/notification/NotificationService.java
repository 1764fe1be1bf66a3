package io.herald.notification;

import io.herald.broker.BrokerSubscription;
import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailedException;
import io.herald.contract.ServiceAddresses;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.EmailSent;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.UserRegistered;
import io.herald.service.ReadModel;
import io.herald.service.ServiceContext;
import io.herald.projection.document.DocumentQuery;
import io.herald.projection.document.DocumentWriter;
import io.herald.store.ConcurrencyConflictException;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The notification service. It consumes {@code user.registered} (a welcome email) and {@code order.created} (an
 * order confirmation, addressed with the email the event carries) from the broker as consumer group
 * {@value #GROUP}, and records each email as {@code email.sent}. An email's id comes from what caused it, and its
 * stream may be written once, so a redelivered event sends nothing twice. Sending is recorded, not delivered over
 * SMTP. Action on {@value ServiceAddresses#NOTIFICATION}: {@code list {to}}.
 */
public final class NotificationService extends VerticleBase {

  static final String GROUP = "notification";
  static final String NOTIFICATIONS = "notifications";

  private final ServiceContext ctx;
  private final EventFactory events;
  private ReadModel view;
  private BrokerSubscription subscription;

  public NotificationService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.events = new EventFactory(ctx.events(), "notification");
  }

  @Override
  public Future<?> start() {
    // notifications are listed by address
    return ctx.documents().indexField(NOTIFICATIONS, "to")
        .compose(v -> ReadModel.start(ctx, NOTIFICATIONS, Set.of(NOTIFICATIONS), NotificationService::project))
        .compose(model -> {
          view = model;
          // at least once: a repeat appends to an email stream that exists already, which is refused, so no email twice
          return ctx.consumers().atLeastOnce(GROUP, List.of("user.registered", "order.created"), this::react);
        })
        .compose(sub -> {
          subscription = sub;
          return CommandEndpoint.on(vertx, ServiceAddresses.NOTIFICATION).action("list", this::list).listen();
        });
  }

  @Override
  public Future<?> stop() {
    Future<Void> unsubscribed = subscription == null ? Future.succeededFuture() : subscription.close();
    return unsubscribed.eventually(() -> ReadModel.stopAll(view));
  }

  private Future<Void> react(RecordedEvent event) {
    EmailSent email;
    if (event.data() instanceof UserRegistered u) {
      email = new EmailSent("welcome-" + u.userId(), u.email(), "Welcome to Herald, " + u.username(), "welcome",
          event.envelope().id().toString());
    } else if (event.data() instanceof OrderCreated o) {
      email = new EmailSent("order-" + o.orderId(), o.email(), "We received your order " + o.orderId(), "order-confirmation",
          event.envelope().id().toString());
    } else {
      return Future.succeededFuture();
    }
    return ctx.store().append("email-" + email.emailId(), EventStore.NO_STREAM, List.of(events.causedBy(event.envelope(), email)))
        .<Void>mapEmpty()
        .recover(err -> err instanceof ConcurrencyConflictException ? Future.succeededFuture() : Future.failedFuture(err));
  }

  private Future<JsonObject> list(JsonObject query) {
    String to = query.getString("to");
    if (to == null || to.isBlank()) {
      throw CommandFailedException.invalid("to: required, an email address");
    }
    return view.awaitPosition(query)
        .compose(v -> view.find(NOTIFICATIONS, DocumentQuery.all().where("to", to).limit(query.getInteger("limit", 1000))))
        .map(found -> new JsonObject().put("notifications", new JsonArray(found)));
  }

  static Future<Void> project(DocumentWriter writer, RecordedEvent event) {
    if (!(event.data() instanceof EmailSent e)) {
      return Future.succeededFuture();
    }
    return writer.put(NOTIFICATIONS, e.emailId(), new JsonObject()
        .put("emailId", e.emailId())
        .put("to", e.to())
        .put("subject", e.subject())
        .put("template", e.template())
        .put("causedBy", e.correlatedEventId())
        .put("sentAt", event.envelope().time().toString()));
  }
}
