package io.herald.launcher;

import io.herald.broker.MessageBroker;
import io.herald.broker.eventbus.EventBusBroker;
import io.herald.broker.kafka.KafkaBroker;
import io.herald.broker.nats.NatsBroker;
import io.herald.broker.rabbitmq.RabbitMqBroker;
import io.herald.broker.redis.RedisBroker;
import io.herald.event.EventRegistry;
import io.herald.launcher.config.BrokerConfig;
import io.vertx.core.Vertx;

/** Builds the broker adapter {@code broker.type} names, with its {@code broker.<type>} settings. */
public final class Brokers {

  private Brokers() {
  }

  /**
   * @return a broker that is not started yet
   */
  public static MessageBroker create(Vertx vertx, BrokerConfig config, EventRegistry events) {
    return switch (config.type()) {
      case EVENTBUS -> new EventBusBroker(vertx, events);
      case KAFKA -> new KafkaBroker(vertx, config.kafka(), events);
      case RABBITMQ -> new RabbitMqBroker(vertx, config.rabbitmq(), events);
      case REDIS -> new RedisBroker(vertx, config.redis(), events);
      case NATS -> new NatsBroker(vertx, config.nats(), events);
    };
  }
}
