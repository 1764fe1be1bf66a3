package io.herald.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads of the global order shared by the subscriptions of one store. After a commit wakes them, every
 * subscription that was caught up asks for the same page at once: one read answers them all.
 *
 * <p>A request joins a read already on its way only when that read was asked for after the latest wake-up
 * ({@link #woken()}). A wake-up comes after its commit is visible, so a joined read sees every commit the
 * requester was woken for; one asked for before it might not, and would leave the requester waiting for the
 * next wake-up or poll. Gap safety is the store's own and unchanged: each read is an ordinary
 * {@link EventStore#readAll}.
 */
final class SharedReads {

  private record Key(long from, int limit) {
  }

  private record InFlight(long wake, Promise<EventPage> page) {
  }

  private final CatchUpSubscription.PageSource source;
  private final AtomicLong wakes = new AtomicLong();
  private final ConcurrentHashMap<Key, InFlight> inFlight = new ConcurrentHashMap<>();

  SharedReads(CatchUpSubscription.PageSource source) {
    this.source = source;
  }

  /** Marks a wake-up: reads asked for before it are not shared with requests made after it. */
  void woken() {
    wakes.incrementAndGet();
  }

  /** The page from {@code from}, read by this request or by an equal one asked for since the latest wake-up. */
  Future<EventPage> read(long from, int limit) {
    long wake = wakes.get();
    Key key = new Key(from, limit);
    InFlight[] mine = new InFlight[1];
    InFlight shared = inFlight.compute(key, (k, current) ->
        current != null && current.wake() >= wake ? current : (mine[0] = new InFlight(wake, Promise.promise())));
    if (shared == mine[0]) {
      Future<EventPage> read;
      try {
        read = source.read(from, limit);
      } catch (RuntimeException e) {
        read = Future.failedFuture(e);
      }
      read.onComplete(ar -> {
        inFlight.remove(key, shared);
        shared.page().handle(ar);
      });
    }
    return shared.page().future();
  }

  /** Reads in flight; for tests. */
  int inFlight() {
    return inFlight.size();
  }
}
