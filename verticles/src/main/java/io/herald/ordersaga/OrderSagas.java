package io.herald.ordersaga;

import io.herald.event.EventJson;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import io.herald.saga.SagaState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The order saga's names and its input, read from the {@code order.created} that starts it. */
final class OrderSagas {

  static final String CREATE_ORDER = "createOrder";
  static final String RESERVE_INVENTORY = "reserveInventory";
  static final String PROCESS_PAYMENT = "processPayment";
  static final String MARK_PAID = "markPaid";
  static final String CREATE_SHIPMENT = "createShipment";
  static final String MARK_SHIPPED = "markShipped";

  private OrderSagas() {
  }

  /** @return the id of an order's saga: one saga per order, so a repeated start finds the first */
  static String sagaId(String orderId) {
    return "saga-" + orderId;
  }

  /** @return a new saga for the order, its first step (the order's creation) done when the event was stored */
  static SagaState started(RecordedEvent event, OrderCreated order, long deadlineMs) {
    Instant at = event.envelope().time();
    return SagaState.started(sagaId(order.orderId()), order.orderId(), CREATE_ORDER, at, at.plusMillis(deadlineMs),
        input(order));
  }

  /** The saga's input: lines merged by SKU (a reservation is per order and SKU), total, token and address. */
  static JsonObject input(OrderCreated order) {
    Map<String, Integer> bySku = new LinkedHashMap<>();
    for (OrderItem item : order.items()) {
      bySku.merge(item.sku(), item.quantity(), Integer::sum);
    }
    JsonArray lines = new JsonArray();
    bySku.forEach((sku, quantity) -> lines.add(new JsonObject().put("sku", sku).put("quantity", quantity)));
    return new JsonObject()
        .put("orderId", order.orderId())
        .put("userId", order.userId())
        .put("total", order.total().toPlainString())
        .put("token", order.paymentToken())
        .put("lines", lines)
        .put("address", new JsonObject(EventJson.toMap(order.shippingAddress())));
  }
}
