package io.herald.inventory;

import io.herald.contract.OrderFacts;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.InventoryOrderReserved;
import io.herald.event.domain.OrderCancelled;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.PaymentFailed;
import io.herald.store.ConcurrencyConflictException;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The inventory's part of the choreographed order saga (consumer group {@value #GROUP}, at least once): on
 * {@code order.created} it reserves every line and then records {@code inventory.order-reserved}, or, when a line is
 * refused ({@code inventory.reservation-failed}), gives back the lines it held; on {@code payment.failed} and
 * {@code order.cancelled} it releases the order's lines and closes them, so a late reservation changes nothing.
 * Every step is idempotent by order and SKU, and the order-level fact can be stored once only.
 */
final class InventorySagaReactions {

  static final String GROUP = "inventory-saga";
  static final List<String> TYPES = List.of("order.created", "payment.failed", "order.cancelled");

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InventorySagaReactions.class);

  private final InventoryService inventory;
  private final EventStore store;
  private final EventFactory events;

  InventorySagaReactions(InventoryService inventory, EventStore store, EventFactory events) {
    this.inventory = inventory;
    this.store = store;
    this.events = events;
  }

  Future<Void> react(RecordedEvent event) {
    if (event.data() instanceof OrderCreated order) {
      return reserve(event, order);
    }
    if (event.data() instanceof PaymentFailed failed) {
      return releaseAll(event, failed.orderId(), failed.reason());
    }
    if (event.data() instanceof OrderCancelled cancelled) {
      return releaseAll(event, cancelled.orderId(), cancelled.reason());
    }
    return Future.succeededFuture();
  }

  /**
   * Line after line; the first refusal stops the chain and gives back what this order holds. An order that shipped
   * already is a repeat of its {@code order.created} delivered late: its SKUs may have forgotten it, so it is
   * recognised by the order's own events and changes nothing.
   */
  private Future<Void> reserve(RecordedEvent event, OrderCreated order) {
    return OrderFacts.read(store, order.orderId())
        .compose(facts -> facts.shipped() ? Future.<Void>succeededFuture() : reserveLines(event, order));
  }

  private Future<Void> reserveLines(RecordedEvent event, OrderCreated order) {
    String orderId = order.orderId();
    String correlation = OrderFacts.sagaId(orderId);
    String causation = event.envelope().id().toString();
    Map<String, Integer> lines = OrderFacts.unitsBySku(order.items());
    List<String> held = new ArrayList<>();
    Future<String> refused = Future.succeededFuture(null);
    for (Map.Entry<String, Integer> line : lines.entrySet()) {
      refused = refused.compose(earlier -> earlier != null ? Future.succeededFuture(earlier)
          : inventory.reserveForSaga(line.getKey(), orderId, line.getValue(), correlation, causation)
              .onSuccess(why -> {
                if (why == null) {
                  held.add(line.getKey());
                }
              }));
    }
    return refused.compose(why -> {
      if (why == null) {
        InventoryOrderReserved reserved = new InventoryOrderReserved(orderId, List.copyOf(lines.keySet()));
        return store.append("reservation-" + orderId, EventStore.NO_STREAM,
                List.of(events.correlated(correlation, causation, reserved)))
            .<Void>mapEmpty()
            .recover(err -> err instanceof ConcurrencyConflictException ? Future.succeededFuture() : Future.failedFuture(err));
      }
      log.debug("order {}: stock not reserved ({}), giving back {}", orderId, why, held);
      return release(held, orderId, why, correlation, causation);
    });
  }

  private Future<Void> releaseAll(RecordedEvent event, String orderId, String reason) {
    return OrderFacts.read(store, orderId).compose(facts -> release(
        List.copyOf(OrderFacts.unitsBySku(facts.created().items()).keySet()), orderId, reason, OrderFacts.sagaId(orderId),
        event.envelope().id().toString()));
  }

  private Future<Void> release(List<String> skus, String orderId, String reason, String correlation, String causation) {
    Future<Void> chain = Future.succeededFuture();
    for (String sku : skus) {
      chain = chain.compose(v -> inventory.releaseForSaga(sku, orderId, reason, correlation, causation));
    }
    return chain;
  }
}
