package io.herald.contract;

import io.herald.event.RecordedEvent;
import io.herald.event.domain.OrderCancelled;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.OrderShipped;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An order as its stored events tell it, for services reacting to other events of the order in a choreographed
 * saga: {@code order.created} carries the lines, the total, the token and the address; the later events tell where
 * the order is. Read from the store (the facts), never from the order service's read model.
 *
 * @param created   the order's {@code order.created}
 * @param paid      whether an {@code order.paid} followed
 * @param shipped   whether an {@code order.shipped} followed
 * @param cancelled whether an {@code order.cancelled} followed
 */
public record OrderFacts(OrderCreated created, boolean paid, boolean shipped, boolean cancelled) {

  /** @return the order's facts; fails when the order has no {@code order.created} in the store */
  public static Future<OrderFacts> read(EventStore store, String orderId) {
    return store.readStream("order-" + orderId, 1).compose(events -> {
      OrderCreated created = null;
      boolean paid = false;
      boolean shipped = false;
      boolean cancelled = false;
      for (RecordedEvent event : events) {
        if (event.data() instanceof OrderCreated c) {
          created = c;
        } else if (event.data() instanceof OrderPaid) {
          paid = true;
        } else if (event.data() instanceof OrderShipped) {
          shipped = true;
        } else if (event.data() instanceof OrderCancelled) {
          cancelled = true;
        }
      }
      return created == null
          ? Future.failedFuture(new IllegalStateException("order " + orderId + " has no order.created in the store"))
          : Future.succeededFuture(new OrderFacts(created, paid, shipped, cancelled));
    });
  }

  /** @return units per SKU, lines of one SKU added up (a reservation is per order and SKU), in order of first appearance */
  public static Map<String, Integer> unitsBySku(List<OrderItem> items) {
    Map<String, Integer> bySku = new LinkedHashMap<>();
    items.forEach(item -> bySku.merge(item.sku(), item.quantity(), Integer::sum));
    return bySku;
  }

  /** @return the correlation id of everything an order's saga does: its saga id */
  public static String sagaId(String orderId) {
    return "saga-" + orderId;
  }
}
