package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;

@EventType(value = "order.cancelled", aggregate = "order")
public record OrderCancelled(String orderId, String reason) implements DomainEvent {
  @Override
  public String aggregateId() {
    return orderId;
  }
}
