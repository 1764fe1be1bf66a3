package io.herald.broker.support;

import io.vertx.core.Future;

/**
 * Where the lease that makes one member of a consumer group the active one is kept (a Redis key, a JetStream
 * key-value entry, ...). The lease expires by itself after its time to live unless its holder extends it, so a member
 * that vanished hands over without anyone noticing it. {@link LeaseKeeper} decides when to call these.
 */
public interface ActiveMemberLease {

  /**
   * Takes the lease when nobody holds it, or extends it when this member does.
   *
   * @param timeoutMs how long to wait for the store's answer
   * @return true when this member holds the lease now, false when another member does; fails when the store could
   *     not be reached (the lease may still be ours)
   */
  Future<Boolean> hold(long timeoutMs);

  /** Gives the lease up when this member holds it, so a standby takes over at once; never fails. */
  Future<Void> release();
}
