package io.herald.store;

import io.herald.event.RecordedEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catch-up-then-live delivery over any {@link EventStore}: reads pages of the global order from the store,
 * hands each event to the handler in turn, and when caught up waits for a {@link #wake()} (a commit
 * notification) or for the poll interval, whichever comes first. The store stays the only source of events:
 * a wake-up carries no data, so a lost notification costs at most one poll interval, never an event.
 *
 * <p>All state is confined to the context the subscription was created on.
 */
public final class CatchUpSubscription implements Subscription {

  private static final Logger log = LoggerFactory.getLogger(CatchUpSubscription.class);
  private static final long MAX_RETRY_DELAY_MS = 5_000;

  /** Where pages come from: the store itself, or reads shared with the store's other subscriptions. */
  interface PageSource {
    Future<EventPage> read(long fromPosition, int limit);
  }

  private final PageSource source;
  private final Vertx vertx;
  private final Context context;
  private final SubscriptionHandler handler;
  private final PageHandler pages;
  private final int batchSize;
  private final long pollIntervalMs;
  private final Runnable onStop;
  private final Promise<Void> done = Promise.promise();

  private long next;
  private boolean pumping;
  private boolean wakePending;
  private boolean closed;
  private long timerId = -1;
  private long retryDelayMs;
  private Future<EventPage> prefetched;

  /**
   * @param store          the store to read from
   * @param vertx          the Vert.x instance
   * @param fromPosition   first position to deliver
   * @param handler        the event handler
   * @param batchSize      events read per page
   * @param pollIntervalMs how long to wait for a wake-up before reading again when caught up, in milliseconds
   * @param onStop         called once when the subscription stops (to unregister it from wake-ups)
   */
  public CatchUpSubscription(EventStore store, Vertx vertx, long fromPosition, SubscriptionHandler handler,
                             int batchSize, long pollIntervalMs, Runnable onStop) {
    this(Objects.requireNonNull(store, "store")::readAll, vertx, fromPosition, Objects.requireNonNull(handler, "handler"), null,
        batchSize, pollIntervalMs, onStop);
  }

  /** As above, delivering each page read to {@code pages} in one call. */
  public CatchUpSubscription(EventStore store, Vertx vertx, long fromPosition, PageHandler pages,
                             int batchSize, long pollIntervalMs, Runnable onStop) {
    this(Objects.requireNonNull(store, "store")::readAll, vertx, fromPosition, null, Objects.requireNonNull(pages, "pages"),
        batchSize, pollIntervalMs, onStop);
  }

  CatchUpSubscription(PageSource source, Vertx vertx, long fromPosition, SubscriptionHandler handler, PageHandler pages,
                              int batchSize, long pollIntervalMs, Runnable onStop) {
    if (fromPosition < 1) {
      throw new IllegalArgumentException("fromPosition must be >= 1, was " + fromPosition);
    }
    this.source = Objects.requireNonNull(source, "source");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.handler = handler;
    this.pages = pages;
    this.context = vertx.getOrCreateContext();
    this.batchSize = batchSize;
    this.pollIntervalMs = pollIntervalMs;
    this.onStop = onStop;
    this.next = fromPosition;
    this.retryDelayMs = Math.min(pollIntervalMs, 100);
  }

  /** Starts the first catch-up read. */
  public CatchUpSubscription start() {
    context.runOnContext(v -> pump());
    return this;
  }

  /** Signals that new events may have been committed; safe to call from any thread. */
  public void wake() {
    context.runOnContext(v -> {
      if (closed) {
        return;
      }
      if (pumping) {
        wakePending = true;
      } else {
        pump();
      }
    });
  }

  @Override
  public long nextPosition() {
    return next;
  }

  @Override
  public Future<Void> done() {
    return done.future();
  }

  @Override
  public Future<Void> close() {
    context.runOnContext(v -> {
      if (closed) {
        return;
      }
      closed = true;
      cancelTimer();
      if (!pumping) {
        stop(null);
      }
    });
    return done.future();
  }

  private void pump() {
    if (closed) {
      return;
    }
    cancelTimer();
    pumping = true;
    wakePending = false;
    Future<EventPage> read = prefetched != null ? prefetched : source.read(next, batchSize);
    prefetched = null;
    read.onComplete(ar -> onContext(() -> {
      if (ar.failed()) {
        pumping = false;
        retryAfterStoreFailure(ar.cause());
        return;
      }
      retryDelayMs = Math.min(pollIntervalMs, 100);
      EventPage page = ar.result();
      if (page.events().size() >= batchSize && !closed) {
        // catching up: read the following page while this one is being handled
        prefetched = source.read(page.next(), batchSize);
      }
      Promise<Void> delivered = Promise.promise();
      if (pages != null) {
        deliverPage(page.events(), delivered);
      } else {
        deliver(page.events(), 0, delivered);
      }
      delivered.future().onComplete(done -> onContext(() -> afterPage(page, done.cause())));
    }));
  }

  private void afterPage(EventPage page, Throwable failure) {
    pumping = false;
    if (failure != null || closed) {
      prefetched = null;
    }
    if (failure != null) {
      closed = true;
      cancelTimer();
      stop(failure);
    } else if (closed) {
      stop(null);
    } else if (page.events().size() >= batchSize || wakePending) {
      pump();
    } else {
      timerId = vertx.setTimer(pollIntervalMs, t -> {
        timerId = -1;
        pump();
      });
    }
  }

  private void deliverPage(List<RecordedEvent> events, Promise<Void> delivered) {
    if (events.isEmpty() || closed) {
      delivered.complete();
      return;
    }
    Future<Void> handled;
    try {
      handled = pages.handle(events);
    } catch (RuntimeException e) {
      delivered.fail(e);
      return;
    }
    if (handled == null) {
      delivered.fail(new IllegalStateException("page handler returned null for positions from " + events.get(0).position()));
      return;
    }
    long after = events.get(events.size() - 1).position() + 1;
    handled.onComplete(ar -> onContext(() -> {
      if (ar.failed()) {
        delivered.fail(ar.cause());
      } else {
        next = after;
        delivered.complete();
      }
    }));
  }

  // Iterative while handlers complete synchronously, so long pages do not grow the stack.
  private void deliver(List<RecordedEvent> events, int from, Promise<Void> delivered) {
    int i = from;
    while (i < events.size()) {
      if (closed) {
        delivered.complete();
        return;
      }
      RecordedEvent event = events.get(i);
      Future<Void> handled;
      try {
        handled = handler.handle(event);
      } catch (RuntimeException e) {
        delivered.fail(e);
        return;
      }
      if (handled == null) {
        delivered.fail(new IllegalStateException("subscription handler returned null for position " + event.position()));
        return;
      }
      if (!handled.isComplete()) {
        int following = i + 1;
        handled.onComplete(ar -> onContext(() -> {
          if (ar.failed()) {
            delivered.fail(ar.cause());
          } else {
            next = event.position() + 1;
            deliver(events, following, delivered);
          }
        }));
        return;
      }
      if (handled.failed()) {
        delivered.fail(handled.cause());
        return;
      }
      next = event.position() + 1;
      i++;
    }
    delivered.complete();
  }

  private void retryAfterStoreFailure(Throwable cause) {
    if (closed) {
      stop(null);
      return;
    }
    log.warn("subscription at position {} cannot read the store, retrying in {} ms: {}", next, retryDelayMs, cause.getMessage());
    timerId = vertx.setTimer(retryDelayMs, t -> {
      timerId = -1;
      pump();
    });
    retryDelayMs = Math.min(retryDelayMs * 2, MAX_RETRY_DELAY_MS);
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void stop(Throwable failure) {
    if (onStop != null) {
      onStop.run();
    }
    if (failure == null) {
      done.tryComplete();
    } else {
      done.tryFail(failure);
    }
  }
}
