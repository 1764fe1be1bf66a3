package io.herald.launcher.config;

/**
 * The broker ({@code broker.*}). Broker-specific sections ({@code broker.kafka.*}, ...) join this record
 * when their adapters do.
 *
 * @param type which broker carries published events
 */
public record BrokerConfig(BrokerType type) {

  /** @return the same settings with another broker type (the benchmark measures every broker of one config) */
  public BrokerConfig withType(BrokerType other) {
    return new BrokerConfig(other);
  }

  static BrokerConfig read(ConfigValues values) {
    return new BrokerConfig(values.enumValue("broker.type", BrokerType.class, BrokerType.EVENTBUS));
  }
}
