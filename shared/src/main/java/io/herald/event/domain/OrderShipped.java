package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;

@EventType(value = "order.shipped", aggregate = "order")
public record OrderShipped(String orderId, String shipmentId) implements DomainEvent {
  @Override
  public String aggregateId() {
    return orderId;
  }
}
