package io.herald.ordersaga;

import io.herald.command.CommandBus;
import io.herald.contract.ServiceAddresses;
import io.herald.saga.SagaState;
import io.herald.saga.SagaStep;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The order saga's steps, each a command to the service that owns it: reserve the stock of every line, charge the
 * token, mark the order paid, create the shipment, mark the order shipped. Compensations, run in reverse: call off
 * the payment (refund it, or close it so a late charge is refused), release the stock, cancel the order with the
 * reason. Creating the shipment is the point of no return: once it may have happened, nothing is undone any more. Every command carries the saga id, the step and the saga id as correlation id; services answer a repeat
 * with its first outcome (one payment per order, one reservation per order and SKU, one shipment per order).
 */
final class OrderSagaSteps {

  private final CommandBus commands;
  private final long timeoutMs;

  OrderSagaSteps(CommandBus commands, long stepTimeoutMs) {
    this.commands = commands;
    this.timeoutMs = stepTimeoutMs;
  }

  List<SagaStep> steps() {
    return List.of(
        new SagaStep(OrderSagas.CREATE_ORDER, "order", s -> Future.succeededFuture(new JsonObject()), this::cancelOrder),
        new SagaStep(OrderSagas.RESERVE_INVENTORY, "inventory", this::reserve, this::release),
        new SagaStep(OrderSagas.PROCESS_PAYMENT, "payment", this::charge, this::callOffPayment),
        new SagaStep(OrderSagas.MARK_PAID, "order", this::markPaid, null),
        // goods on their way cannot be called back: from here the saga only goes forward, whatever the deadline
        SagaStep.pivot(OrderSagas.CREATE_SHIPMENT, "shipping", this::ship),
        new SagaStep(OrderSagas.MARK_SHIPPED, "order", this::markShipped, null));
  }

  private Future<JsonObject> send(SagaState saga, String step, String address, String action, JsonObject body) {
    body.put("orderId", saga.orderId()).put("sagaId", saga.id()).put("step", step).put("correlationId", saga.id());
    return commands.request(address, action, body, timeoutMs);
  }

  /**
   * All lines or none. The lines are reserved at once: each SKU is an aggregate of its own with its own queue in the
   * inventory service, so a line waits for its SKU only, not for the lines before it. When a line fails, the lines
   * reserved are given back before the step fails, with the failure whose effect is unknown if there is one (the
   * saga then compensates every line), else the first refusal.
   */
  private Future<JsonObject> reserve(SagaState saga) {
    List<JsonObject> lines = lines(saga);
    List<Future<JsonObject>> sent = new ArrayList<>(lines.size());
    for (JsonObject line : lines) {
      sent.add(send(saga, OrderSagas.RESERVE_INVENTORY, ServiceAddresses.INVENTORY, "reserve", line.copy()));
    }
    return Future.join(sent).transform(all -> {
      if (all.succeeded()) {
        return Future.succeededFuture(new JsonObject());
      }
      List<String> reserved = new ArrayList<>();
      Throwable err = null;
      for (int i = 0; i < lines.size(); i++) {
        Future<JsonObject> line = sent.get(i);
        if (line.succeeded()) {
          reserved.add(lines.get(i).getString("sku"));
        } else if (err == null || StepFailures.didNothing(err) && !StepFailures.didNothing(line.cause())) {
          err = line.cause();
        }
      }
      Throwable failure = err;
      return reserved.isEmpty()
          ? Future.failedFuture(failure)
          : releaseAll(saga, reserved, failure.getMessage()).transform(released -> Future.failedFuture(released.succeeded()
              ? failure
              : new IllegalStateException("stock reserved in part; releasing it failed: " + released.cause().getMessage(), failure)));
    });
  }

  private Future<Void> release(SagaState saga) {
    return releaseAll(saga, lines(saga).stream().map(l -> l.getString("sku")).toList(), saga.reason());
  }

  /** Releases and closes: a reservation of this order still on its way (its step timed out) then changes nothing. */
  private Future<Void> releaseAll(SagaState saga, List<String> skus, String reason) {
    Future<Void> chain = Future.succeededFuture();
    for (String sku : skus) {
      chain = chain.compose(v -> send(saga, "releaseInventory", ServiceAddresses.INVENTORY, "release",
          new JsonObject().put("sku", sku).put("reason", reason).put("close", true)).mapEmpty());
    }
    return chain;
  }

  private Future<JsonObject> charge(SagaState saga) {
    JsonObject data = saga.data();
    return send(saga, OrderSagas.PROCESS_PAYMENT, ServiceAddresses.PAYMENT, "charge",
        new JsonObject().put("amount", data.getString("total")).put("token", data.getString("token")))
        .map(paid -> new JsonObject().put("paymentId", paid.getString("paymentId")));
  }

  private Future<Void> callOffPayment(SagaState saga) {
    return send(saga, "refundPayment", ServiceAddresses.PAYMENT, "callOff", new JsonObject().put("reason", saga.reason()))
        .mapEmpty();
  }

  private Future<JsonObject> markPaid(SagaState saga) {
    JsonObject data = saga.data();
    return send(saga, OrderSagas.MARK_PAID, ServiceAddresses.ORDER, "markPaid",
        new JsonObject().put("paymentId", data.getString("paymentId")).put("amount", data.getString("total")))
        .map(r -> new JsonObject());
  }

  private Future<JsonObject> ship(SagaState saga) {
    return send(saga, OrderSagas.CREATE_SHIPMENT, ServiceAddresses.SHIPPING, "create",
        new JsonObject().put("address", saga.data().getJsonObject("address").copy()))
        .map(created -> new JsonObject().put("shipmentId", created.getString("shipmentId")));
  }

  private Future<JsonObject> markShipped(SagaState saga) {
    return send(saga, OrderSagas.MARK_SHIPPED, ServiceAddresses.ORDER, "markShipped",
        new JsonObject().put("shipmentId", saga.data().getString("shipmentId")))
        .map(r -> new JsonObject());
  }

  private Future<Void> cancelOrder(SagaState saga) {
    return send(saga, "cancelOrder", ServiceAddresses.ORDER, "cancel", new JsonObject().put("reason", saga.reason()))
        .mapEmpty();
  }

  private static List<JsonObject> lines(SagaState saga) {
    return saga.data().getJsonArray("lines").stream().map(JsonObject.class::cast).toList();
  }
}
