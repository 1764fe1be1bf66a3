package io.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
@DisplayName("Type patterns")
class TypePatternsTest {

  @Test
  @DisplayName("a trailing wildcard matches every type under its prefix and nothing else")
  void trailingWildcard() {
    TypePatterns orders = TypePatterns.of("order.*");

    assertThat(orders.matches("order.created")).isTrue();
    assertThat(orders.matches("order.paid")).isTrue();
    assertThat(orders.matches("order.item.added")).isTrue();
    assertThat(orders.matches("user.registered")).isFalse();
    assertThat(orders.matches("orders.created")).isFalse();
    assertThat(orders.matches("order")).isFalse();
    assertThat(orders.matches("xorder.created")).isFalse();
  }

  @Test
  @DisplayName("a lone wildcard matches every type")
  void loneWildcard() {
    TypePatterns all = TypePatterns.of("*");

    assertThat(all.matches("order.created")).isTrue();
    assertThat(all.matches("user.registered")).isTrue();
    assertThat(all.matches("x")).isTrue();
  }

  @Test
  @DisplayName("a pattern without wildcard matches only its own type")
  void literal() {
    TypePatterns paid = TypePatterns.of("order.paid");

    assertThat(paid.matches("order.paid")).isTrue();
    assertThat(paid.matches("order.paid.v2")).isFalse();
    assertThat(paid.matches("order.pai")).isFalse();
    assertThat(paid.matches(null)).isFalse();
  }

  @Test
  @DisplayName("wildcards may lead or sit in the middle, and backtrack")
  void leadingAndInnerWildcards() {
    assertThat(TypePatterns.matches("*.failed", "payment.failed")).isTrue();
    assertThat(TypePatterns.matches("*.failed", "inventory.reservation.failed")).isTrue();
    assertThat(TypePatterns.matches("*.failed", "payment.processed")).isFalse();
    assertThat(TypePatterns.matches("inventory.*ed", "inventory.reserved")).isTrue();
    assertThat(TypePatterns.matches("inventory.*ed", "inventory.reservation")).isFalse();
    assertThat(TypePatterns.matches("a*b*c", "axxbyybzc")).isTrue();
    assertThat(TypePatterns.matches("a*b*c", "axxbyyc")).isTrue();
    assertThat(TypePatterns.matches("a*b*c", "axxcyy")).isFalse();
  }

  @Test
  @DisplayName("a set matches a type when any of its patterns does")
  void anyOfTheSet() {
    TypePatterns patterns = TypePatterns.of(List.of("order.*", "payment.failed"));

    assertThat(patterns.matches("order.cancelled")).isTrue();
    assertThat(patterns.matches("payment.failed")).isTrue();
    assertThat(patterns.matches("payment.processed")).isFalse();
    assertThat(patterns.patterns()).containsExactly("order.*", "payment.failed");
    assertThat(patterns.toString()).isEqualTo("order.*,payment.failed");
  }

  @Test
  @DisplayName("two sets with the same patterns in another order are equal")
  void equalityIgnoresOrder() {
    assertThat(TypePatterns.of("a.*", "b.*")).isEqualTo(TypePatterns.of("b.*", "a.*"))
        .hasSameHashCodeAs(TypePatterns.of("b.*", "a.*"));
    assertThat(TypePatterns.of("a.*")).isNotEqualTo(TypePatterns.of("a.*", "b.*"));
  }

  @Test
  @DisplayName("empty lists and patterns that are blank or hold commas or whitespace are refused")
  void invalidPatterns() {
    assertThatThrownBy(() -> TypePatterns.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TypePatterns.of((List<String>) null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TypePatterns.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TypePatterns.of("order.*,user.*"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commas");
    assertThatThrownBy(() -> TypePatterns.of("order. *")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TypePatterns.of(Arrays.asList("order.*", null)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
