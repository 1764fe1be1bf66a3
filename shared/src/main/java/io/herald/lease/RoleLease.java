package io.herald.lease;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * Who may play a role: at most one holder at a time, across every process sharing the store, so two nodes never
 * run the same singleton work side by side. A store only one process can see needs none ({@link #exclusive()}); on
 * PostgreSQL it is an advisory lock held by a connection of its own ({@link io.herald.lease.pg.PgRoleLease}).
 */
public interface RoleLease {

  /**
   * Completes once this holder has the lease; while another holder has it, keeps trying.
   *
   * @param lost called (on the caller's context) if the lease is lost later, e.g. its connection dropped; the
   *             holder must stop its work, then may {@link #acquire} again
   */
  Future<Void> acquire(Handler<Throwable> lost);

  /** @return whether this holder has the lease now */
  boolean held();

  /**
   * @return the fencing token of the current holding: higher on every acquisition, by any holder. A role's writes
   *     carry it, so a holder that lost the lease cannot write as the role any more.
   */
  long epoch();

  /** Gives the lease up (or stops trying to get it). */
  Future<Void> release();

  /** A lease that is always granted: for a store only one process can see. */
  static RoleLease exclusive() {
    return new RoleLease() {
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
