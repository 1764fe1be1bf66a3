package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;
import java.math.BigDecimal;
import java.util.List;

/**
 * Event-carried state transfer: the user's email and the shipping address travel with the order.
 * Version 2 added {@code paymentToken}, the reference of the payment method chosen at checkout (a token, never card
 * data); version 1 events are upcast with an empty token, which the payment service declines.
 */
@EventType(value = "order.created", aggregate = "order", version = 2)
public record OrderCreated(String orderId, String userId, String email, List<OrderItem> items, BigDecimal total,
                           Address shippingAddress, String paymentToken) implements DomainEvent {

  public OrderCreated {
    items = List.copyOf(items);
  }

  @Override
  public String aggregateId() {
    return orderId;
  }
}
