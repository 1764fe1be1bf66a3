package io.herald.broker.eventbus;

import io.herald.broker.BrokerSubscription;
import io.vertx.core.Future;
import java.util.List;

/** A member's handle on its group. */
final class EventBusSubscription implements BrokerSubscription {

  private final EventBusBroker broker;
  private final EventBusGroup group;
  private final EventBusMember member;
  private final List<String> typePatterns;

  EventBusSubscription(EventBusBroker broker, EventBusGroup group, EventBusMember member) {
    this.broker = broker;
    this.group = group;
    this.member = member;
    this.typePatterns = group.patterns().patterns();
  }

  @Override
  public String group() {
    return group.name();
  }

  @Override
  public List<String> typePatterns() {
    return typePatterns;
  }

  @Override
  public Future<Void> close() {
    return broker.leave(group, member);
  }
}
