package io.herald.inventory;

import io.herald.contract.OrderFacts;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.OrderShipped;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import java.util.List;

/**
 * Settles the reservations of shipped orders (consumer group {@value #GROUP}, at least once, in both saga modes):
 * on {@code order.shipped} every SKU of the order records {@code inventory.shipped} and forgets the order, so a SKU's
 * state holds the orders still in flight, not every order it ever shipped. A repeat changes nothing: the SKU no
 * longer holds the order.
 */
final class InventoryShipments {

  static final String GROUP = "inventory-shipments";
  static final List<String> TYPES = List.of("order.shipped");

  private final InventoryService inventory;
  private final EventStore store;

  InventoryShipments(InventoryService inventory, EventStore store) {
    this.inventory = inventory;
    this.store = store;
  }

  Future<Void> react(RecordedEvent event) {
    if (!(event.data() instanceof OrderShipped shipped)) {
      return Future.succeededFuture();
    }
    String orderId = shipped.orderId();
    String causation = event.envelope().id().toString();
    // the SKUs are the order's lines, as order.created tells them
    return OrderFacts.read(store, orderId).compose(facts -> {
      Future<Void> chain = Future.succeededFuture();
      for (String sku : OrderFacts.unitsBySku(facts.created().items()).keySet()) {
        chain = chain.compose(v -> inventory.settleShipped(sku, orderId, shipped.shipmentId(), OrderFacts.sagaId(orderId), causation));
      }
      return chain;
    });
  }
}
