package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;
import java.math.BigDecimal;

@EventType(value = "payment.processed", aggregate = "payment")
public record PaymentProcessed(String paymentId, String orderId, BigDecimal amount) implements DomainEvent {
  @Override
  public String aggregateId() {
    return paymentId;
  }
}
