package io.herald.order;

/** A command or read named an order that does not exist. */
public final class OrderNotFoundException extends RuntimeException {

  public OrderNotFoundException(String orderId) {
    super("order " + orderId + " does not exist");
  }
}
