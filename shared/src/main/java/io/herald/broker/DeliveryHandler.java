package io.herald.broker;

/** Receives the deliveries of a subscription; must settle each one (see {@link Delivery}). */
@FunctionalInterface
public interface DeliveryHandler {

  /** Called on the subscriber's context; an exception thrown here nacks the delivery. */
  void handle(Delivery delivery);
}
