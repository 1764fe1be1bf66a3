package io.herald.broker;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * Who may publish a store's events: at most one holder at a time, across every process sharing the store, so two
 * nodes on one database never run two relays over the same events. The in-memory store needs none (one process);
 * on PostgreSQL it is an advisory lock held by a connection of its own.
 */
public interface PublisherLease {

  /**
   * Completes once this holder has the lease; while another holder has it, keeps trying.
   *
   * @param lost called (on the caller's context) if the lease is lost later, e.g. its connection dropped; the
   *             holder must stop publishing, then may {@link #acquire} again
   */
  Future<Void> acquire(Handler<Throwable> lost);

  /** @return whether this holder has the lease now */
  boolean held();

  /** Gives the lease up (or stops trying to get it). */
  Future<Void> release();

  /** A lease that is always granted: for a store only one process can see. */
  static PublisherLease exclusive() {
    return new PublisherLease() {
      private volatile boolean held;

      @Override
      public Future<Void> acquire(Handler<Throwable> lost) {
        held = true;
        return Future.succeededFuture();
      }

      @Override
      public boolean held() {
        return held;
      }

      @Override
      public Future<Void> release() {
        held = false;
        return Future.succeededFuture();
      }
    };
  }
}
