package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;

@EventType(value = "inventory.reserved", aggregate = "inventory")
public record InventoryReserved(String sku, String orderId, int quantity) implements DomainEvent {
  @Override
  public String aggregateId() {
    return sku;
  }
}
