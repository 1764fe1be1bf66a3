package io.herald.event;

import io.herald.event.domain.Address;
import io.herald.event.domain.EmailSent;
import io.herald.event.domain.InventoryAdjusted;
import io.herald.event.domain.InventoryOrderReserved;
import io.herald.event.domain.InventoryReleased;
import io.herald.event.domain.InventoryReservationFailed;
import io.herald.event.domain.InventoryReserved;
import io.herald.event.domain.InventoryShipped;
import io.herald.event.domain.OrderCancelled;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.OrderShipped;
import io.herald.event.domain.PaymentFailed;
import io.herald.event.domain.PaymentProcessed;
import io.herald.event.domain.PaymentRefunded;
import io.herald.event.domain.ShipmentCreated;
import io.herald.event.domain.UserRegistered;
import java.math.BigDecimal;
import java.util.List;

/** One realistic instance of every blueprint event, with non-ASCII text and exact decimals. */
public final class SampleEvents {

  public static final Address ADDRESS = new Address("Königstraße 1", "Zürich", "8001", "CH");

  private SampleEvents() {
  }

  public static List<DomainEvent> all() {
    return List.of(
        new UserRegistered("u-1", "ada@example.org", "Ada"),
        orderCreated("o-1"),
        new OrderPaid("o-1", "p-1", new BigDecimal("59.70")),
        new OrderShipped("o-1", "s-1"),
        new OrderCancelled("o-2", "card declined"),
        new PaymentProcessed("p-1", "o-1", new BigDecimal("59.70")),
        new PaymentFailed("p-2", "o-2", new BigDecimal("10.00"), "card declined"),
        new PaymentRefunded("p-1", "o-1", new BigDecimal("59.70"), "shipment failed"),
        new InventoryReserved("sku-1", "o-1", 3),
        new InventoryReservationFailed("sku-9", "o-3", 5, 2, "out of stock"),
        new InventoryReleased("sku-1", "o-1", 3, "payment failed"),
        new ShipmentCreated("s-1", "o-1", ADDRESS),
        new EmailSent("e-1", "ada@example.org", "Welcome, Ada – ünïcödé ✓", "welcome", "9b2f"),
        new InventoryAdjusted("sku-1", 40),
        new InventoryOrderReserved("o-1", List.of("sku-1", "sku-2")),
        new InventoryShipped("sku-1", "o-1", 3, "s-1"));
  }

  public static OrderCreated orderCreated(String orderId) {
    return new OrderCreated(orderId, "u-1", "ada@example.org",
        List.of(new OrderItem("sku-1", 3, new BigDecimal("19.90")), new OrderItem("sku-2", 1, new BigDecimal("0.0000001"))),
        new BigDecimal("59.7000001"), ADDRESS, "tok_visa");
  }
}
