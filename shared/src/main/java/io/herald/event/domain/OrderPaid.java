package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;
import java.math.BigDecimal;

@EventType(value = "order.paid", aggregate = "order")
public record OrderPaid(String orderId, String paymentId, BigDecimal amount) implements DomainEvent {
  @Override
  public String aggregateId() {
    return orderId;
  }
}
