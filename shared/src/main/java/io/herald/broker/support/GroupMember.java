package io.herald.broker.support;

import io.vertx.core.Future;

/** One subscription of a consumer group, as an {@link AbstractBroker} keeps it. */
public interface GroupMember {

  /**
   * Leaves the group in good order: hands out nothing more, lets the handlers still running finish (up to the
   * adapter's {@code handBackTimeoutMs}), then {@link #close()}s; what is unsettled then goes back to the group.
   */
  Future<Void> leave();

  /** Leaves the group at once: nothing unsettled is acked, the broker delivers it again. Never fails. */
  Future<Void> close();
}
