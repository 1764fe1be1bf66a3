package io.herald.broker;

import io.vertx.core.Future;
import java.util.List;

/** A member of a consumer group, as returned by {@link MessageBroker#subscribe}. */
public interface BrokerSubscription {

  /** @return the consumer group */
  String group();

  /** @return the type patterns the group is filtered by */
  List<String> typePatterns();

  /**
   * Leaves the group. Deliveries this member has not settled go back to the group and are delivered again,
   * to another member or to a later subscriber; the group itself keeps receiving events.
   */
  Future<Void> close();
}
