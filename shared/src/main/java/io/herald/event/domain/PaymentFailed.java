package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;
import java.math.BigDecimal;

@EventType(value = "payment.failed", aggregate = "payment")
public record PaymentFailed(String paymentId, String orderId, BigDecimal amount, String reason) implements DomainEvent {
  @Override
  public String aggregateId() {
    return paymentId;
  }
}
