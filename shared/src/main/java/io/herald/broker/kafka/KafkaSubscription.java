package io.herald.broker.kafka;

import io.herald.broker.BrokerSubscription;
import io.vertx.core.Future;
import java.util.List;

/** A member's handle on its consumer group. */
final class KafkaSubscription implements BrokerSubscription {

  private final KafkaBroker broker;
  private final KafkaMember member;
  private final List<String> typePatterns;

  KafkaSubscription(KafkaBroker broker, KafkaMember member, List<String> typePatterns) {
    this.broker = broker;
    this.member = member;
    this.typePatterns = List.copyOf(typePatterns);
  }

  @Override
  public String group() {
    return member.group();
  }

  @Override
  public List<String> typePatterns() {
    return typePatterns;
  }

  /** Commits what was acked, leaves the group and hands back the rest, which Kafka delivers to the next owner. */
  @Override
  public Future<Void> close() {
    return broker.leave(member);
  }
}
