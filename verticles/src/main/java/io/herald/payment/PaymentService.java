package io.herald.payment;

import io.herald.aggregate.AggregateRepository;
import io.herald.aggregate.CommandResult;
import io.herald.aggregate.Loaded;
import io.herald.aggregate.RepositoryOptions;
import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailedException;
import io.herald.command.Fields;
import io.herald.command.CommandFailure;
import io.herald.contract.ServiceAddresses;
import io.herald.event.EventFactory;
import io.herald.service.SagaReactions;
import io.herald.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The payment service, a stand-in for a card processor: {@code tok_visa} is charged, {@code tok_decline} fails
 * with "card declined", {@code tok_slow} is charged after {@code payment.slowDelayMs} (later than callers wait).
 * Actions on {@value ServiceAddresses#PAYMENT}: {@code charge {orderId, amount, token}} answers
 * {@code {paymentId, amount, position}} or fails with 402 and the reason; {@code refund {orderId, reason}};
 * {@code get {orderId}}; {@code callOff {orderId, reason}} (sagas: refund a charge, or close an uncharged payment so a
 * late charge is refused). Charging an order twice charges it once. With {@code saga.mode: choreography} it also
 * takes its part in the order saga ({@link PaymentSagaReactions}).
 */
public final class PaymentService extends VerticleBase {

  private final ServiceContext ctx;
  private final AggregateRepository<PaymentState> payments;
  private SagaReactions reactions;

  public PaymentService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.payments = new AggregateRepository<>(ctx.store(), new PaymentAggregate(), new EventFactory(ctx.events(), "payment"),
        RepositoryOptions.defaults());
  }

  @Override
  public Future<?> start() {
    return CommandEndpoint.on(vertx, ServiceAddresses.PAYMENT)
        .action("charge", this::charge)
        .action("refund", this::refund)
        .action("callOff", this::callOff)
        .action("get", this::get)
        .listen()
        .compose(listening -> SagaReactions.start(ctx, PaymentSagaReactions.GROUP, PaymentSagaReactions.TYPES,
            new PaymentSagaReactions(ctx.store(), id -> payments.load(id).map(Loaded::state), this::charge)::react))
        .onSuccess(started -> reactions = started);
  }

  @Override
  public Future<?> stop() {
    return SagaReactions.stop(reactions);
  }

  private Future<JsonObject> charge(JsonObject body) {
    String orderId = Fields.text(body, "orderId");
    String token = body.getString("token", "");
    BigDecimal amount = amount(body);
    String paymentId = PaymentAggregate.paymentId(orderId);
    // the processor is slow to charge, not to tell that it already did: an order already charged answers at once
    Future<Void> delay = PaymentAggregate.TOKEN_SLOW.equals(token)
        ? payments.load(paymentId).compose(p -> p.state().status() == PaymentState.Status.CHARGED
            ? Future.<Void>succeededFuture()
            : vertx.timer(ctx.config().payment().slowDelayMs()).<Void>mapEmpty())
        : Future.succeededFuture();
    return delay
        // one payment per order: the first charge of an order finds no stream, a repeat answers as the first one did
        .compose(v -> payments.handleNew(paymentId, body.getString("correlationId"), null,
            p -> PaymentAggregate.charge(p, orderId, amount, token)))
        .compose(result -> {
          PaymentState state = result.aggregate().state();
          if (state.status() == PaymentState.Status.FAILED) {
            return Future.failedFuture(new CommandFailedException(CommandFailure.PAYMENT_REQUIRED, state.reason()));
          }
          return Future.succeededFuture(reply(paymentId, result));
        });
  }

  private Future<JsonObject> refund(JsonObject body) {
    String orderId = Fields.text(body, "orderId");
    String reason = body.getString("reason", "refunded");
    String paymentId = PaymentAggregate.paymentId(orderId);
    return payments.handle(paymentId, body.getString("correlationId"), null, p -> PaymentAggregate.refund(p, orderId, reason))
        .map(result -> reply(paymentId, result));
  }

  private Future<JsonObject> callOff(JsonObject body) {
    String orderId = Fields.text(body, "orderId");
    String reason = body.getString("reason", "called off");
    String paymentId = PaymentAggregate.paymentId(orderId);
    return payments.handle(paymentId, body.getString("correlationId"), null, p -> PaymentAggregate.callOff(p, orderId, reason))
        .map(result -> reply(paymentId, result));
  }

  private Future<JsonObject> get(JsonObject body) {
    String orderId = Fields.text(body, "orderId");
    String paymentId = PaymentAggregate.paymentId(orderId);
    return payments.load(paymentId).compose(loaded -> loaded.exists()
        ? Future.succeededFuture(new JsonObject().put("paymentId", paymentId).put("orderId", orderId)
            .put("status", loaded.state().status().name().toLowerCase(java.util.Locale.ROOT))
            .put("amount", loaded.state().amount().toPlainString()).put("reason", loaded.state().reason())
            .put("attempts", loaded.state().attempts()))
        : Future.failedFuture(CommandFailedException.notFound("no payment for order " + orderId)));
  }

  private static JsonObject reply(String paymentId, CommandResult<PaymentState> result) {
    JsonObject reply = new JsonObject().put("paymentId", paymentId)
        .put("status", result.aggregate().state().status().name().toLowerCase(java.util.Locale.ROOT))
        .put("amount", result.aggregate().state().amount().toPlainString());
    if (result.changed()) {
      reply.put("position", result.append().lastPosition());
    }
    return reply;
  }

  private static BigDecimal amount(JsonObject body) {
    try {
      return new BigDecimal(Fields.text(body, "amount"));
    } catch (NumberFormatException e) {
      throw CommandFailedException.invalid("amount: '" + body.getString("amount") + "' is not a decimal number");
    }
  }
}
