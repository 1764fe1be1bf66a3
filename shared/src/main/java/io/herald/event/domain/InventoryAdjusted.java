package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;

/** The stock of a SKU was set: {@code available} units can now be reserved, on top of those already reserved. */
@EventType(value = "inventory.adjusted", aggregate = "inventory")
public record InventoryAdjusted(String sku, int available) implements DomainEvent {
  @Override
  public String aggregateId() {
    return sku;
  }
}
