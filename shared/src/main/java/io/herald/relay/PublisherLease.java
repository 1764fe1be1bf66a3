package io.herald.relay;

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

  /**
   * @return the fencing token of the current holding: higher on every acquisition, by any holder. The relay claims
   *     its checkpoint with it, so a holder that lost the lease cannot move the checkpoint any more.
   */
  long epoch();

  /** Gives the lease up (or stops trying to get it). */
  Future<Void> release();

  /** A lease that is always granted: for a store only one process can see. */
  static PublisherLease exclusive() {
    return new PublisherLease() {
      private volatile boolean held;
      private volatile long epoch;

      @Override
      public Future<Void> acquire(Handler<Throwable> lost) {
        epoch++;
        held = true;
        return Future.succeededFuture();
      }

      @Override
      public boolean held() {
        return held;
      }

      @Override
      public long epoch() {
        return epoch;
      }

      @Override
      public Future<Void> release() {
        held = false;
        return Future.succeededFuture();
      }
    };
  }
}
