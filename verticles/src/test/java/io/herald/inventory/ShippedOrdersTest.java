package io.herald.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A SKU's last shipped orders")
class ShippedOrdersTest {

  @Test
  @DisplayName("keeps the last ones in the order they shipped; a repeat changes nothing; what left is not known")
  void boundedInOrder() {
    ShippedOrders shipped = ShippedOrders.NONE;
    for (String id : List.of("o1", "o2", "o3", "o2", "o4")) {
      shipped = shipped.plus(id, 3);
    }
    assertThat(shipped).containsExactly("o2", "o3", "o4");
    assertThat(shipped.contains("o1")).as("the oldest left").isFalse();
    assertThat(shipped.contains("o3")).isTrue();
    assertThat(shipped.plus("o3", 3)).isSameAs(shipped);
    assertThat(ShippedOrders.of(List.of("a", "b"))).containsExactly("a", "b").contains("b").doesNotContain("c");
  }
}
