package io.herald.order;

import io.herald.command.CommandBus;
import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailure;
import io.herald.contract.OrderFacts;
import io.herald.contract.ServiceAddresses;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.InventoryReservationFailed;
import io.herald.event.domain.PaymentFailed;
import io.herald.event.domain.PaymentProcessed;
import io.herald.event.domain.ShipmentCreated;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order's part of the choreographed order saga (consumer group {@value #GROUP}, at least once):
 * {@code inventory.reservation-failed} and {@code payment.failed} cancel the order with the event's reason;
 * {@code payment.processed} marks it paid, or, when it was cancelled meanwhile, has the payment refunded;
 * {@code shipment.created} marks it shipped. The order's commands answer a repeat with its first outcome, so a
 * redelivered event changes nothing.
 */
final class OrderSagaReactions {

  static final String GROUP = "order-saga";
  static final List<String> TYPES = List.of("inventory.reservation-failed", "payment.failed", "payment.processed",
      "shipment.created");

  private static final Logger log = LoggerFactory.getLogger(OrderSagaReactions.class);

  private final Actions actions;
  private final EventStore store;
  private final CommandBus commands;
  private final long paymentTimeoutMs;

  /** The order service's own actions the reactions use. */
  record Actions(Function<JsonObject, Future<JsonObject>> cancel, Function<JsonObject, Future<JsonObject>> markPaid,
                 Function<JsonObject, Future<JsonObject>> markShipped) {
  }

  OrderSagaReactions(Actions actions, EventStore store, CommandBus commands, long paymentTimeoutMs) {
    this.actions = actions;
    this.store = store;
    this.commands = commands;
    this.paymentTimeoutMs = paymentTimeoutMs;
  }

  Future<Void> react(RecordedEvent event) {
    if (event.data() instanceof InventoryReservationFailed failed) {
      return cancel(failed.orderId(), failed.reason());
    }
    if (event.data() instanceof PaymentFailed failed) {
      return cancel(failed.orderId(), failed.reason());
    }
    if (event.data() instanceof PaymentProcessed paid) {
      return markPaid(paid);
    }
    if (event.data() instanceof ShipmentCreated shipment) {
      return run(actions.markShipped(), command(shipment.orderId()).put("shipmentId", shipment.shipmentId()))
          .recover(err -> refused(err, "order " + shipment.orderId() + " not marked shipped"));
    }
    return Future.succeededFuture();
  }

  /** Cancelling also refunds a charge the order shows; an order already shipped stays shipped. */
  private Future<Void> cancel(String orderId, String reason) {
    return run(actions.cancel(), command(orderId).put("reason", reason))
        .recover(err -> refused(err, "order " + orderId + " not cancelled"));
  }

  /** A charge that lands on a cancelled order is given back: no charge remains for an order that did not ship. */
  private Future<Void> markPaid(PaymentProcessed paid) {
    JsonObject command = command(paid.orderId()).put("paymentId", paid.paymentId()).put("amount", paid.amount().toPlainString());
    return run(actions.markPaid(), command).recover(err -> CommandEndpoint.classify(err).failure() != CommandFailure.CONFLICT
        ? Future.failedFuture(err)
        : OrderFacts.read(store, paid.orderId()).compose(order -> {
          if (!order.cancelled()) {
            return Future.failedFuture(err);   // lost a race, not refused: tried again
          }
          JsonObject refund = command(paid.orderId()).put("reason", "order " + paid.orderId() + " was cancelled: " + err.getMessage());
          return commands.request(ServiceAddresses.PAYMENT, "refund", refund, paymentTimeoutMs).<Void>mapEmpty()
              .recover(refused -> refused(refused, "payment of order " + paid.orderId() + " not refunded"));
        }));
  }

  private static JsonObject command(String orderId) {
    return new JsonObject().put("orderId", orderId).put("correlationId", OrderFacts.sagaId(orderId));
  }

  private static Future<Void> run(Function<JsonObject, Future<JsonObject>> action, JsonObject body) {
    return Future.<Void>succeededFuture().compose(v -> action.apply(body)).mapEmpty();
  }

  /** The aggregate refusing (already shipped, cancelled, nothing to refund) is its answer; anything else is retried. */
  private static Future<Void> refused(Throwable err, String what) {
    CommandFailure failure = CommandEndpoint.classify(err).failure();
    if (failure == CommandFailure.CONFLICT || failure == CommandFailure.NOT_FOUND) {
      log.info("{}: {}", what, err.getMessage());
      return Future.succeededFuture();
    }
    return Future.failedFuture(err);
  }
}
