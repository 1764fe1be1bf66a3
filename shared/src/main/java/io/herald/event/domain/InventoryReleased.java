package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;

@EventType(value = "inventory.released", aggregate = "inventory")
public record InventoryReleased(String sku, String orderId, int quantity, String reason) implements DomainEvent {
  @Override
  public String aggregateId() {
    return sku;
  }
}
