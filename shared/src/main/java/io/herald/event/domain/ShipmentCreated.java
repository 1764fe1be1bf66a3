package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;

@EventType(value = "shipment.created", aggregate = "shipment")
public record ShipmentCreated(String shipmentId, String orderId, Address address) implements DomainEvent {
  @Override
  public String aggregateId() {
    return shipmentId;
  }
}
