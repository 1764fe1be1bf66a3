package io.herald.store;

import io.vertx.core.Future;

/** A running catch-up-then-live subscription to the global order. */
public interface Subscription {

  /** @return the next position the subscription will deliver (last delivered + 1) */
  long nextPosition();

  /** @return completes when the subscription stops: succeeds after {@link #close()}, fails with the handler's or the store's failure */
  Future<Void> done();

  /** Stops delivering; an event being handled finishes first. */
  Future<Void> close();
}
