package io.herald.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live subscriptions of one store: starts them, wakes them all on a commit, closes them with the store. */
public final class SubscriptionHub {

  private final Set<CatchUpSubscription> live = ConcurrentHashMap.newKeySet();

  /** Creates, registers and starts a subscription. */
  public Subscription start(EventStore store, Vertx vertx, long fromPosition, SubscriptionHandler handler,
                            int batchSize, long pollIntervalMs) {
    return register(onStop -> new CatchUpSubscription(store, vertx, fromPosition, handler, batchSize, pollIntervalMs, onStop));
  }

  /** Creates, registers and starts a subscription that delivers a page at a time. */
  public Subscription startPages(EventStore store, Vertx vertx, long fromPosition, PageHandler handler,
                                 int batchSize, long pollIntervalMs) {
    return register(onStop -> new CatchUpSubscription(store, vertx, fromPosition, handler, batchSize, pollIntervalMs, onStop));
  }

  private Subscription register(java.util.function.Function<Runnable, CatchUpSubscription> create) {
    CatchUpSubscription[] self = new CatchUpSubscription[1];
    self[0] = create.apply(() -> live.remove(self[0]));
    live.add(self[0]);
    return self[0].start();
  }

  /** Wakes every live subscription; call after a commit. */
  public void wakeAll() {
    for (CatchUpSubscription s : live) {
      s.wake();
    }
  }

  public int size() {
    return live.size();
  }

  /** Closes every live subscription. */
  public Future<Void> closeAll() {
    List<Future<Void>> closing = new ArrayList<>();
    for (CatchUpSubscription s : live) {
      closing.add(s.close());
    }
    return Future.join(closing).mapEmpty();
  }
}
