package io.herald.broker.rabbitmq;

import io.herald.broker.BrokerSubscription;
import io.vertx.core.Future;
import java.util.List;

/** A member's handle on its group. */
final class RabbitMqSubscription implements BrokerSubscription {

  private final RabbitMqBroker broker;
  private final RabbitMqMember member;

  RabbitMqSubscription(RabbitMqBroker broker, RabbitMqMember member) {
    this.broker = broker;
    this.member = member;
  }

  @Override
  public String group() {
    return member.group();
  }

  @Override
  public List<String> typePatterns() {
    return member.patterns().patterns();
  }

  @Override
  public Future<Void> close() {
    return broker.leave(member);
  }
}
