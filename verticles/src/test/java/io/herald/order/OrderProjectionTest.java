package io.herald.order;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herald.event.EventJson;
import io.herald.event.domain.Address;
import io.herald.event.domain.OrderItem;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The orders read model writes order lines and addresses as the events' own JSON has them. */
class OrderProjectionTest {

  @Test
  void orderLinesMatchTheEventJson() {
    for (OrderItem item : List.of(new OrderItem("SKU-CHAIR-01", 2, new BigDecimal("149.90")),
        new OrderItem("SKU-X", 1, new BigDecimal("1E+3")), new OrderItem("SKU-Y", 7, new BigDecimal("0.10")))) {
      JsonObject expected = new JsonObject(EventJson.toMap(item));
      assertEquals(expected, OrderProjection.item(item));
      assertEquals(expected.encode(), OrderProjection.item(item).encode(), "same fields in the same order");
    }
  }

  @Test
  void addressMatchesTheEventJson() {
    Address address = new Address("Königstraße 12", "Zürich", "8001", "CH");
    JsonObject expected = new JsonObject(EventJson.toMap(address));
    assertEquals(expected.encode(), OrderProjection.address(address).encode());
  }
}
