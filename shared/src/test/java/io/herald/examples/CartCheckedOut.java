package io.herald.examples;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;
import java.math.BigDecimal;

/** An event of your own, as the docs define one (docs/event-store.md). */
// doc:event-record
@EventType(value = "cart.checked-out", aggregate = "cart")
public record CartCheckedOut(String cartId, String userId, BigDecimal total) implements DomainEvent {

  @Override
  public String aggregateId() {
    return cartId;
  }
}
// end:event-record
