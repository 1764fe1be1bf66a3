package io.herald.order;

import io.herald.event.RecordedEvent;
import io.herald.event.domain.Address;
import io.herald.event.domain.OrderCancelled;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.OrderShipped;
import io.herald.event.domain.UserRegistered;
import io.herald.projection.document.DocumentWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;

/**
 * The order service's two read models: {@value #ORDERS} (what {@code GET /api/orders} answers) and
 * {@value #USERS}, its own replica of the users it needs (id and email), built from {@code user.registered}, so
 * placing an order never asks the user service.
 */
final class OrderProjection {

  static final String ORDERS = "orders";
  static final String USERS = "order-users";

  private OrderProjection() {
  }

  static Future<Void> orders(DocumentWriter writer, RecordedEvent event) {
    String time = event.envelope().time().toString();
    if (event.data() instanceof OrderCreated c) {
      JsonArray items = new JsonArray(new java.util.ArrayList<>(c.items().size()));
      c.items().forEach(i -> items.add(item(i)));
      return writer.put(ORDERS, c.orderId(), new JsonObject()
          .put("orderId", c.orderId())
          .put("userId", c.userId())
          .put("email", c.email())
          .put("status", "pending")
          .put("total", c.total().toPlainString())
          .put("items", items)
          .put("shippingAddress", address(c.shippingAddress()))
          .put("createdAt", time)
          .put("updatedAt", time)
          .put("version", event.version()));
    }
    if (event.data() instanceof OrderPaid p) {
      return change(writer, p.orderId(), event, doc -> doc.put("status", "paid").put("paymentId", p.paymentId()));
    }
    if (event.data() instanceof OrderShipped s) {
      return change(writer, s.orderId(), event, doc -> doc.put("status", "shipped").put("shipmentId", s.shipmentId()));
    }
    if (event.data() instanceof OrderCancelled c) {
      return change(writer, c.orderId(), event, doc -> doc.put("status", "cancelled").put("reason", c.reason()));
    }
    return Future.succeededFuture();
  }

  static Future<Void> users(DocumentWriter writer, RecordedEvent event) {
    if (event.data() instanceof UserRegistered u) {
      return writer.put(USERS, u.userId(), new JsonObject().put("userId", u.userId()).put("email", u.email()));
    }
    return Future.succeededFuture();
  }

  // the same fields and values as the records' event JSON (EventJson), built without a round trip through Jackson:
  // a rebuild writes one of these per order
  static JsonObject item(OrderItem item) {
    return new JsonObject(new LinkedHashMap<>(4))
        .put("sku", item.sku())
        .put("quantity", item.quantity())
        .put("unitPrice", item.unitPrice() == null ? null : item.unitPrice().toPlainString());
  }

  static JsonObject address(Address address) {
    return new JsonObject(new LinkedHashMap<>(6))
        .put("street", address.street())
        .put("city", address.city())
        .put("postalCode", address.postalCode())
        .put("country", address.country());
  }

  private static Future<Void> change(DocumentWriter writer, String orderId, RecordedEvent event,
                                     java.util.function.UnaryOperator<JsonObject> change) {
    return writer.update(ORDERS, orderId, doc -> doc == null ? null
        : change.apply(doc).put("updatedAt", event.envelope().time().toString()).put("version", event.version()));
  }
}
