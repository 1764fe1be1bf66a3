package io.herald.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The live subscriptions of one store: starts them, wakes them all on a commit, closes them with the store.
 * Their reads go through {@link SharedReads}, so the subscriptions a commit wakes read its page once between them.
 */
public final class SubscriptionHub {

  private final Set<CatchUpSubscription> live = ConcurrentHashMap.newKeySet();
  private final SharedReads reads;

  /** @param store the store whose subscriptions these are */
  public SubscriptionHub(EventStore store) {
    this.reads = new SharedReads(Objects.requireNonNull(store, "store")::readAll);
  }

  /** Creates, registers and starts a subscription. */
  public Subscription start(Vertx vertx, long fromPosition, SubscriptionHandler handler, int batchSize, long pollIntervalMs) {
    Objects.requireNonNull(handler, "handler");
    return register(onStop -> new CatchUpSubscription(reads::read, vertx, fromPosition, handler, null, batchSize,
        pollIntervalMs, onStop));
  }

  /** Creates, registers and starts a subscription that delivers a page at a time. */
  public Subscription startPages(Vertx vertx, long fromPosition, PageHandler handler, int batchSize, long pollIntervalMs) {
    Objects.requireNonNull(handler, "handler");
    if (batchSize < 1) {
      throw new IllegalArgumentException("a page holds at least 1 event, pageSize was " + batchSize);
    }
    return register(onStop -> new CatchUpSubscription(reads::read, vertx, fromPosition, null, handler, batchSize,
        pollIntervalMs, onStop));
  }

  private Subscription register(Function<Runnable, CatchUpSubscription> create) {
    CatchUpSubscription[] self = new CatchUpSubscription[1];
    self[0] = create.apply(() -> live.remove(self[0]));
    live.add(self[0]);
    return self[0].start();
  }

  /** Wakes every live subscription; call after a commit is visible. */
  public void wakeAll() {
    reads.woken();
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
