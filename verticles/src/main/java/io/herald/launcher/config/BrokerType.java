package io.herald.launcher.config;

/** Which broker carries published events; only the in-process event bus exists so far. Spelled in lower case in config files. */
public enum BrokerType {
  EVENTBUS, KAFKA, RABBITMQ, REDIS, NATS;

  /** @return the spelling used in config files */
  public String configName() {
    return ConfigValues.configName(this);
  }
}
