package io.herald.order;

import io.herald.aggregate.AggregateNotFoundException;

/** A command or read named an order that does not exist. */
public final class OrderNotFoundException extends AggregateNotFoundException {

  public OrderNotFoundException(String orderId) {
    super(orderId, "order " + orderId + " not found");
  }
}
