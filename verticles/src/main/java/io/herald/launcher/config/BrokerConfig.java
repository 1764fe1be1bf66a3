package io.herald.launcher.config;

/**
 * The broker ({@code broker.*}). Broker-specific sections ({@code broker.kafka.*}, ...) join this record
 * when their adapters do.
 *
 * @param type which broker carries published events
 */
public record BrokerConfig(BrokerType type) {

  static BrokerConfig read(ConfigValues values) {
    return new BrokerConfig(values.enumValue("broker.type", BrokerType.class, BrokerType.EVENTBUS));
  }
}
