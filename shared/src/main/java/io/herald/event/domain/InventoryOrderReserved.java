package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;
import java.util.List;

/**
 * Every line of an order is reserved: the fact a choreographed order saga charges the payment on, since each
 * {@code inventory.reserved} covers one SKU only. One per order, in the stream {@code reservation-<orderId>}.
 */
@EventType(value = "inventory.order-reserved", aggregate = "reservation")
public record InventoryOrderReserved(String orderId, List<String> skus) implements DomainEvent {

  public InventoryOrderReserved {
    skus = List.copyOf(skus);
  }

  @Override
  public String aggregateId() {
    return orderId;
  }
}
