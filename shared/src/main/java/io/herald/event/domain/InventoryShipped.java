package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;

/**
 * An order's reserved units of one SKU left with its shipment: the reservation is settled and the SKU no longer
 * keeps the order in its state. The units stay counted as reserved (held by shipped orders).
 */
@EventType(value = "inventory.shipped", aggregate = "inventory")
public record InventoryShipped(String sku, String orderId, int quantity, String shipmentId) implements DomainEvent {
  @Override
  public String aggregateId() {
    return sku;
  }
}
