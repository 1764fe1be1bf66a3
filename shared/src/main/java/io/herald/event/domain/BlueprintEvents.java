package io.herald.event.domain;

import io.herald.event.EventRegistry;

/** The registry of every event of the blueprint's business flows (users, orders, payments, inventory, shipping, email). */
public final class BlueprintEvents {

  private static final EventRegistry REGISTRY = EventRegistry.builder()
      .registerAll(UserRegistered.class,
          OrderCreated.class, OrderPaid.class, OrderShipped.class, OrderCancelled.class,
          PaymentProcessed.class, PaymentFailed.class, PaymentRefunded.class,
          InventoryReserved.class, InventoryReservationFailed.class, InventoryReleased.class, InventoryOrderReserved.class,
          InventoryShipped.class,
          ShipmentCreated.class, EmailSent.class, InventoryAdjusted.class)
      .upcaster("order.created", 1, data -> data.put("paymentToken", ""))
      .build();

  private BlueprintEvents() {
  }

  public static EventRegistry registry() {
    return REGISTRY;
  }
}
