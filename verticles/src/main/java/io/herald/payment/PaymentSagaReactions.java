package io.herald.payment;

import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailedException;
import io.herald.command.CommandFailure;
import io.herald.contract.OrderFacts;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.InventoryOrderReserved;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The payment's part of the choreographed order saga (consumer group {@value #GROUP}, at least once): once every
 * line of an order is reserved ({@code inventory.order-reserved}) it charges the token the order was placed with,
 * for the order's total, both read from the order's {@code order.created}. One attempt per order: a payment already
 * charged, declined or called off is left as it is, and an order cancelled meanwhile is not charged. A declined
 * card is stored as {@code payment.failed}, which the inventory and the order react to.
 */
final class PaymentSagaReactions {

  static final String GROUP = "payment-saga";
  static final List<String> TYPES = List.of("inventory.order-reserved");

  private final EventStore store;
  private final Function<String, Future<PaymentState>> payment;
  private final Function<JsonObject, Future<JsonObject>> charge;

  /**
   * @param payment the payment of an order, by payment id
   * @param charge  the service's charge action
   */
  PaymentSagaReactions(EventStore store, Function<String, Future<PaymentState>> payment,
                       Function<JsonObject, Future<JsonObject>> charge) {
    this.store = store;
    this.payment = payment;
    this.charge = charge;
  }

  Future<Void> react(RecordedEvent event) {
    if (!(event.data() instanceof InventoryOrderReserved reserved)) {
      return Future.succeededFuture();
    }
    String orderId = reserved.orderId();
    return OrderFacts.read(store, orderId).compose(order -> {
      if (order.cancelled()) {
        return Future.succeededFuture();
      }
      return payment.apply(PaymentAggregate.paymentId(orderId)).compose(existing -> existing.status() != PaymentState.Status.NONE
          ? Future.succeededFuture()
          : Future.<JsonObject>succeededFuture()
              .compose(v -> charge.apply(new JsonObject()
                  .put("orderId", orderId)
                  .put("amount", order.created().total().toPlainString())
                  .put("token", order.created().paymentToken())
                  .put("correlationId", OrderFacts.sagaId(orderId))))
              .<Void>mapEmpty()
              .recover(PaymentSagaReactions::answered));
    });
  }

  /** A declined card (stored as payment.failed) or a payment called off (a late charge refused) is an answer. */
  private static Future<Void> answered(Throwable err) {
    CommandFailedException failed = CommandEndpoint.classify(err);
    return failed.failure() == CommandFailure.PAYMENT_REQUIRED || failed.failure() == CommandFailure.CONFLICT
        ? Future.succeededFuture()
        : Future.failedFuture(err);
  }
}
