package io.herald.broker.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.TypePatterns;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Type patterns as AMQP topic bindings")
class RabbitMqBrokerTopologyTest {

  @Test
  @DisplayName("a word holding a * becomes #, exact words stay, duplicates and runs of # collapse")
  void bindingKeys() {
    assertThat(Topology.bindingKeys(List.of("order.*"))).containsExactly("order.#");
    assertThat(Topology.bindingKeys(List.of("*.failed"))).containsExactly("#.failed");
    assertThat(Topology.bindingKeys(List.of("user.registered"))).containsExactly("user.registered");
    assertThat(Topology.bindingKeys(List.of("order.p*", "order.*"))).containsExactly("order.#");
    assertThat(Topology.bindingKeys(List.of("a.*.*.b"))).containsExactly("a.#.b");
    assertThat(Topology.bindingKeys(List.of("order.*", "*"))).containsExactly("#");
  }

  @Test
  @DisplayName("every type a pattern matches is also matched by its binding key, in AMQP topic semantics")
  void bindingsAreBroadEnough() {
    List<String> patterns = List.of("order.*", "*.failed", "order.p*", "a*b.c", "x.*.y", "*");
    List<String> types = List.of("order.paid", "order.item.added", "payment.failed", "inventory.reservation.failed",
        "axx.yyb.c", "ab.c", "x.q.y", "x.q.r.y", "user.registered");
    for (String pattern : patterns) {
      List<String> keys = Topology.bindingKeys(List.of(pattern));
      for (String type : types) {
        if (TypePatterns.matches(pattern, type)) {
          assertThat(keys).as("%s matches %s", pattern, type).anySatisfy(k -> assertThat(topicMatches(k, type)).isTrue());
        }
      }
    }
  }

  @Test
  @DisplayName("names: exchange, dead-letter exchange, group queue and its dead-letter queue")
  void names() {
    Topology t = new Topology("events");

    assertThat(t.exchange()).isEqualTo("events");
    assertThat(t.deadLetterExchange()).isEqualTo("events.dlx");
    assertThat(t.queue("billing")).isEqualTo("events.billing");
    assertThat(t.deadLetterQueue("billing")).isEqualTo("events.billing.dlq");
  }

  // AMQP topic matching: * is one word, # zero or more words
  private static boolean topicMatches(String key, String type) {
    return matchWords(key.split("\\."), 0, type.split("\\."), 0);
  }

  private static boolean matchWords(String[] k, int i, String[] t, int j) {
    if (i == k.length) {
      return j == t.length;
    }
    if ("#".equals(k[i])) {
      for (int skip = j; skip <= t.length; skip++) {
        if (matchWords(k, i + 1, t, skip)) {
          return true;
        }
      }
      return false;
    }
    if (j == t.length) {
      return false;
    }
    return ("*".equals(k[i]) || k[i].equals(t[j])) && matchWords(k, i + 1, t, j + 1);
  }
}
