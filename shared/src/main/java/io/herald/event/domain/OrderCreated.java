package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;
import java.math.BigDecimal;
import java.util.List;

/** Event-carried state transfer: the user's email and the shipping address travel with the order. */
@EventType(value = "order.created", aggregate = "order")
public record OrderCreated(String orderId, String userId, String email, List<OrderItem> items, BigDecimal total,
                           Address shippingAddress) implements DomainEvent {

  public OrderCreated {
    items = List.copyOf(items);
  }

  @Override
  public String aggregateId() {
    return orderId;
  }
}
