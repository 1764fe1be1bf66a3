package io.herald.launcher.config;

import io.herald.broker.kafka.KafkaBrokerOptions;
import io.herald.broker.nats.NatsBrokerOptions;
import io.herald.broker.rabbitmq.RabbitMqBrokerOptions;
import io.herald.broker.redis.RedisBrokerOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The broker ({@code broker.*}): which one carries published events, and the settings of each adapter
 * ({@code broker.rabbitmq.*}, ...), read and checked whatever the type, so a typo surfaces early.
 *
 * @param type     which broker carries published events
 * @param kafka    {@code broker.kafka.*}
 * @param rabbitmq {@code broker.rabbitmq.*}
 * @param redis    {@code broker.redis.*}
 * @param nats     {@code broker.nats.*}
 */
public record BrokerConfig(BrokerType type, KafkaBrokerOptions kafka, RabbitMqBrokerOptions rabbitmq, RedisBrokerOptions redis,
                           NatsBrokerOptions nats) {

  /** @return the same settings with another broker type (the benchmark measures every broker of one config) */
  public BrokerConfig withType(BrokerType other) {
    return new BrokerConfig(other, kafka, rabbitmq, redis, nats);
  }

  static BrokerConfig read(ConfigValues values) {
    return new BrokerConfig(values.enumValue("broker.type", BrokerType.class, BrokerType.EVENTBUS),
        section(values, "broker.kafka", KafkaBrokerOptions.defaults().toJson(), KafkaBrokerOptions::fromJson),
        section(values, "broker.rabbitmq", RabbitMqBrokerOptions.defaults().toJson(), RabbitMqBrokerOptions::fromJson),
        section(values, "broker.redis", RedisBrokerOptions.defaults().toJson(), RedisBrokerOptions::fromJson),
        section(values, "broker.nats", NatsBrokerOptions.defaults().toJson(), NatsBrokerOptions::fromJson));
  }

  private static <T> T section(ConfigValues values, String key, JsonObject defaults, Function<JsonObject, T> reader) {
    Object raw = values.raw(key);
    JsonObject configured = raw instanceof JsonObject json ? json : new JsonObject();
    try {
      return reader.apply(SectionTypes.coerce(key, configured, defaults));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new ConfigException("invalid " + key + " settings: " + e.getMessage());
    }
  }
}
