package io.herald.broker.rabbitmq;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import io.herald.broker.TypePatterns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the broker declares in RabbitMQ, all named after the namespace {@code ns}:
 * <ul>
 *   <li>{@code ns}: durable topic exchange, routing key = event type;</li>
 *   <li>{@code ns.dlx}: durable direct exchange for dead letters, routing key = group;</li>
 *   <li>{@code ns.<group>}: a group's durable queue, bound to {@code ns} by its type patterns, with
 *       {@code x-single-active-consumer} and {@code ns.dlx} as its dead-letter exchange;</li>
 *   <li>{@code ns.<group>.dlq}: the group's dead letters, bound to {@code ns.dlx} with the group's name.</li>
 * </ul>
 * Declarations are idempotent, so they are simply repeated after every reconnection. The methods block (AMQP RPCs):
 * call them on a worker thread.
 */
final class Topology {

  private final String namespace;

  Topology(String namespace) {
    this.namespace = namespace;
  }

  String exchange() {
    return namespace;
  }

  String deadLetterExchange() {
    return namespace + ".dlx";
  }

  String queue(String group) {
    return namespace + "." + group;
  }

  String deadLetterQueue(String group) {
    return namespace + "." + group + ".dlq";
  }

  void declareExchanges(Channel channel) throws IOException {
    channel.exchangeDeclare(exchange(), BuiltinExchangeType.TOPIC, true, false, null);
    channel.exchangeDeclare(deadLetterExchange(), BuiltinExchangeType.DIRECT, true, false, null);
  }

  /** Declares the group's queue, its dead-letter queue and the bindings of its patterns. */
  void declareGroup(Channel channel, String group, TypePatterns patterns) throws IOException {
    channel.queueDeclare(deadLetterQueue(group), true, false, false, null);
    channel.queueBind(deadLetterQueue(group), deadLetterExchange(), group);
    Map<String, Object> arguments = new LinkedHashMap<>();
    // one member consumes at a time, so the queue's order is what the group sees; the others stand by
    arguments.put("x-single-active-consumer", true);
    arguments.put("x-dead-letter-exchange", deadLetterExchange());
    arguments.put("x-dead-letter-routing-key", group);
    channel.queueDeclare(queue(group), true, false, false, arguments);
    for (String key : bindingKeys(patterns.patterns())) {
      channel.queueBind(queue(group), exchange(), key);
    }
  }

  /**
   * Translates Herald type patterns into AMQP topic binding keys that match at least the same types. A Herald
   * {@code *} spans any characters, dots included, while AMQP's {@code *} is exactly one word, so every word that
   * holds a {@code *} becomes {@code #} (any number of words): {@code order.*} → {@code order.#}, {@code *} →
   * {@code #}, {@code *.failed} → {@code #.failed}. The broker filters exactly with {@link TypePatterns} on receipt.
   */
  static List<String> bindingKeys(List<String> patterns) {
    Set<String> keys = new LinkedHashSet<>();
    for (String pattern : patterns) {
      List<String> words = new ArrayList<>();
      for (String word : pattern.split("\\.", -1)) {
        String mapped = word.contains("*") ? "#" : word;
        if (!("#".equals(mapped) && !words.isEmpty() && "#".equals(words.get(words.size() - 1)))) {
          words.add(mapped);
        }
      }
      keys.add(String.join(".", words));
    }
    return keys.contains("#") ? List.of("#") : List.copyOf(keys);
  }
}
