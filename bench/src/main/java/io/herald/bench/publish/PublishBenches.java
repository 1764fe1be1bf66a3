package io.herald.bench.publish;

import io.herald.broker.rabbitmq.RabbitMqBrokerOptions;
import io.herald.event.EventRegistry;
import io.herald.launcher.config.HeraldConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** The publish benchmark of each broker, built with the node's {@code broker.<name>} settings. */
final class PublishBenches {

  private static final Map<String, BiFunction<HeraldConfig, EventRegistry, PublishBench>> BENCHES = new LinkedHashMap<>();

  static {
    BENCHES.put("kafka", (config, events) -> new KafkaPublishBench(config.broker().kafka(), events));
    // structured mode: Herald and the raw client put the same bytes on the wire
    BENCHES.put("rabbitmq", (config, events) -> new RabbitMqPublishBench(
        RabbitMqBrokerOptions.fromJson(config.broker().rabbitmq().toJson().put("binding", "structured"))));
    BENCHES.put("redis", (config, events) -> new RedisPublishBench(config.broker().redis(), events));
    BENCHES.put("nats", (config, events) -> new NatsPublishBench(config.broker().nats()));
  }

  private PublishBenches() {
  }

  static List<String> names() {
    return List.copyOf(BENCHES.keySet());
  }

  static PublishBench create(String broker, HeraldConfig config, EventRegistry events) {
    BiFunction<HeraldConfig, EventRegistry, PublishBench> factory = BENCHES.get(broker);
    if (factory == null) {
      throw new IllegalArgumentException("no benchmark for broker '" + broker + "'");
    }
    return factory.apply(config, events);
  }
}
