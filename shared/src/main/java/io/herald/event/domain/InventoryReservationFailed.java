package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;

@EventType(value = "inventory.reservation-failed", aggregate = "inventory")
public record InventoryReservationFailed(String sku, String orderId, int requested, int available, String reason)
    implements DomainEvent {
  @Override
  public String aggregateId() {
    return sku;
  }
}
