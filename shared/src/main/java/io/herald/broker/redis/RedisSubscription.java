package io.herald.broker.redis;

import io.herald.broker.BrokerSubscription;
import io.herald.broker.OnContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/** A member's handle on its group. */
final class RedisSubscription implements BrokerSubscription {

  private final RedisBroker broker;
  private final RedisMember member;

  RedisSubscription(RedisBroker broker, RedisMember member) {
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

  /** Leaves the group: unsettled entries stay pending in Redis for the next active member to claim. */
  @Override
  public Future<Void> close() {
    Context caller = Vertx.currentContext();
    return OnContext.of(caller, broker.leave(member));
  }
}
