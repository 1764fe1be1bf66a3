package io.herald.relay;

import io.herald.async.Backoff;
import io.herald.async.OnContext;
import io.herald.broker.BrokerException;
import io.herald.broker.MessageBroker;
import io.herald.broker.PublishRefusedException;
import io.herald.event.RecordedEvent;
import io.herald.store.CheckpointFencedException;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.herald.store.Subscription;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes stored events to a {@link MessageBroker} in global order, from a stored checkpoint. The store is
 * the only input (no dual write): services append, the relay reads what was committed and publishes exactly that.
 *
 * <p><b>Order and confirmation.</b> The relay subscribes to the store from {@code checkpoint + 1} a page at a time
 * and publishes each page with {@link MessageBroker#publishAll} (which adapters pipeline, keeping order): the next
 * page goes out only after the broker confirmed every event of the previous one. A failed or timed-out page is
 * retried whole, with exponential backoff and jitter, until it is confirmed, so no event is skipped and none
 * overtakes another. A retry may deliver events of the page twice (at least once).
 *
 * <p><b>Checkpoint.</b> The position of the last confirmed event is saved under
 * {@link EventRelayOptions#checkpointName()} after at most {@link EventRelayOptions#checkpointBatch()} confirmed
 * events or {@link EventRelayOptions#checkpointIntervalMs()}, and always on {@link #stop()}. After a clean stop a new
 * relay neither loses nor re-sends a confirmed event; after a crash it re-sends at most what was confirmed since the
 * last save. Run one relay per store and checkpoint name.
 *
 * <p><b>Fencing.</b> A relay given a fencing token (its publisher lease's epoch) claims the checkpoint with it at
 * start and saves only while the checkpoint is still its own: once a newer holder has claimed it, a save fails with
 * {@link CheckpointFencedException} and the relay stops publishing, so a relay that lost its lease cannot move the
 * checkpoint of the one that took over.
 *
 * <p>A relay runs once: {@link #start()}, then {@link #stop()}; create a new one to resume. All work happens on
 * the context the relay was created on; the returned futures complete on the caller's context.
 */
public final class EventRelay {

  private static final Logger log = LoggerFactory.getLogger(EventRelay.class);

  /** No fencing token: the relay loads and saves its checkpoint whatever its epoch. */
  public static final long UNFENCED = -1;

  /** Lifecycle of a relay. */
  public enum State {
    /** Created, not started. */
    CREATED,
    /** Loading the checkpoint. */
    STARTING,
    /** Publishing, or waiting for new events. */
    RUNNING,
    /** Finishing the publish in flight and saving the checkpoint. */
    STOPPING,
    /** Stopped by {@link #stop()}. */
    STOPPED,
    /** Could not start, or its subscription ended on its own; see the log. */
    FAILED
  }

  private final Vertx vertx;
  private final Context context;
  private final EventStore store;
  private final CheckpointStore checkpoints;
  private final MessageBroker broker;
  private final EventRelayOptions options;
  private final Backoff backoff;
  private final PublishListener listener;
  private final long epoch;

  private volatile RefusedEventHandler refusedEvents;
  private volatile long refusedCount;
  private volatile State state = State.CREATED;
  private volatile long lastPublished;
  private volatile long lastCheckpoint;
  private volatile int consecutiveFailures;
  private volatile long publishedCount;

  private Subscription subscription;
  private Future<Void> starting;
  private Future<Void> stopping;
  private Future<Void> saving = Future.succeededFuture();
  private long flushTimer = -1;
  private long retryTimer = -1;
  private Promise<Void> parked;
  private int sinceCheckpoint;

  /**
   * @param vertx       the Vert.x instance; the relay runs on the current context (or a new one)
   * @param store       where events are read from
   * @param checkpoints where the relay's position is kept
   * @param broker      where events are published; its lifecycle belongs to the caller
   * @param options     batching and retry settings
   */
  public EventRelay(Vertx vertx, EventStore store, CheckpointStore checkpoints, MessageBroker broker,
                    EventRelayOptions options) {
    this(vertx, store, checkpoints, broker, options, PublishListener.NONE);
  }

  /** As above, telling {@code listener} about every confirmed page. */
  public EventRelay(Vertx vertx, EventStore store, CheckpointStore checkpoints, MessageBroker broker,
                    EventRelayOptions options, PublishListener listener) {
    this(vertx, store, checkpoints, broker, options, listener, UNFENCED);
  }

  /**
   * As above, with a fencing token: the epoch of the publisher lease this relay runs under, or {@link #UNFENCED}.
   */
  public EventRelay(Vertx vertx, EventStore store, CheckpointStore checkpoints, MessageBroker broker,
                    EventRelayOptions options, PublishListener listener, long epoch) {
    this.epoch = epoch;
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.options = Objects.requireNonNull(options, "options");
    this.context = vertx.getOrCreateContext();
    this.backoff = new Backoff(options.retryBaseMs(), options.retryCapMs());
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Sets where events the broker refuses for good ({@link PublishRefusedException}: too large, invalid) go; the relay
   * then publishes the next ones. Without it they go to the publish listener when that is a
   * {@link RefusedEventHandler} too, else they are only logged, as an error. Call before {@link #start()}.
   *
   * @return this relay
   */
  public EventRelay onRefused(RefusedEventHandler handler) {
    this.refusedEvents = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /** @return how many events the broker refused for good and the relay set aside since it started */
  public long refusedCount() {
    return refusedCount;
  }

  /**
   * Loads the checkpoint and starts publishing from the event after it.
   *
   * @return succeeds once publishing has started; fails with the checkpoint store's failure (state
   *     {@link State#FAILED}) or with {@link IllegalStateException} when the relay was already started
   */
  public Future<Void> start() {
    Context caller = Vertx.currentContext();
    Promise<Void> started = Promise.promise();
    onContext(() -> {
      if (state != State.CREATED) {
        started.fail(new IllegalStateException("relay '" + options.checkpointName() + "' is " + state + "; a relay starts once"));
        return;
      }
      state = State.STARTING;
      starting = started.future();
      Future<Long> checkpoint = epoch == UNFENCED ? checkpoints.load(options.checkpointName())
          : checkpoints.claim(options.checkpointName(), epoch);
      checkpoint.onComplete(loaded -> onContext(() -> {
        if (loaded.failed()) {
          state = State.FAILED;
          log.error("relay '{}' cannot load its checkpoint: {}", options.checkpointName(), loaded.cause().getMessage());
        } else {
          run(loaded.result() == null ? 0L : loaded.result());
        }
        started.handle(loaded.mapEmpty());
      }));
    });
    return OnContext.of(caller, started.future());
  }

  /**
   * Stops publishing: waits for the publish in flight (bounded by {@link EventRelayOptions#publishTimeoutMs()}),
   * abandons a pending retry (that event was not confirmed and is published again by the next relay), and saves
   * the checkpoint.
   *
   * @return succeeds once the checkpoint of the last confirmed event is saved; fails with the checkpoint store's
   *     failure (the relay is stopped anyway)
   */
  public Future<Void> stop() {
    Context caller = Vertx.currentContext();
    Promise<Void> result = Promise.promise();
    onContext(() -> {
      Future<Void> done = switch (state) {
        case CREATED -> {
          state = State.STOPPED;
          yield Future.succeededFuture();
        }
        case STARTING -> starting.transform(ignored -> stop());
        case RUNNING -> stopping = shutDown();
        case STOPPING, STOPPED, FAILED -> stopping == null ? Future.succeededFuture() : stopping;
      };
      done.onComplete(result);
    });
    return OnContext.of(caller, result.future());
  }

  /** @return the lifecycle state */
  public State state() {
    return state;
  }

  /** @return whether the relay is publishing (or waiting for events to publish) */
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  /** @return the global position of the last event the broker confirmed; the loaded checkpoint before the first */
  public long lastPublishedPosition() {
    return lastPublished;
  }

  /** @return the last position saved as the checkpoint by this relay (or loaded at start) */
  public long lastCheckpointPosition() {
    return lastCheckpoint;
  }

  /** @return how many publishes of the current event have failed in a row; 0 when the last publish was confirmed */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** @return how many events this relay has published since it started */
  public long publishedCount() {
    return publishedCount;
  }

  /** @return the number of stored events not yet confirmed by the broker: store head − last published position */
  public Future<Long> lag() {
    return store.headPosition().map(head -> Math.max(0L, head - lastPublished));
  }

  private void run(long checkpoint) {
    lastPublished = checkpoint;
    lastCheckpoint = checkpoint;
    subscription = store.subscribePages(checkpoint + 1, this::relay);
    subscription.done().onComplete(ended -> onContext(() -> subscriptionEnded(ended)));
    flushTimer = vertx.setPeriodic(options.checkpointIntervalMs(), t -> saveCheckpoint());
    state = State.RUNNING;
    log.info("relay '{}' publishing to {} from position {}", options.checkpointName(), broker.name(), checkpoint + 1);
  }

  // the subscription waits for this future before it hands over the next page: that is what keeps confirms in order
  private Future<Void> relay(List<RecordedEvent> page) {
    Promise<Void> handled = Promise.promise();
    attempt(page, 1, handled);
    return handled.future();
  }

  // a page goes out with publishAll, which adapters pipeline; a failure retries the whole page (at least once)
  private void attempt(List<RecordedEvent> page, int attempt, Promise<Void> handled) {
    if (state != State.RUNNING) {
      handled.complete(); // not confirmed, so not in the checkpoint: the next relay publishes it
      return;
    }
    Future<Void> confirmed;
    try {
      confirmed = page.size() == 1 ? broker.publish(page.get(0)) : broker.publishAll(page);
    } catch (RuntimeException e) {
      confirmed = Future.failedFuture(e);
    }
    long timeoutMs = options.publishTimeoutMs() + page.size(); // a big page gets a little longer
    confirmed.timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .onComplete(result -> onContext(() -> afterAttempt(page, attempt, handled, result)));
  }

  private void afterAttempt(List<RecordedEvent> page, int attempt, Promise<Void> handled, AsyncResult<Void> result) {
    if (result.succeeded()) {
      lastPublished = page.get(page.size() - 1).position();
      publishedCount += page.size();
      consecutiveFailures = 0;
      sinceCheckpoint += page.size();
      if (sinceCheckpoint >= options.checkpointBatch()) {
        saveCheckpoint();
      }
      tell(page);
      handled.complete();
      return;
    }
    consecutiveFailures++;
    if (state != State.RUNNING) {
      handled.complete();
      return;
    }
    if (result.cause() instanceof PublishRefusedException refused) {
      if (page.size() > 1) {
        publishOneByOne(page, 0, handled); // which event was refused: each goes alone, in order
      } else {
        setAside(page, attempt, handled, refused);
      }
      return;
    }
    retryLater(page, attempt, handled, result.cause());
  }

  private void publishOneByOne(List<RecordedEvent> page, int index, Promise<Void> handled) {
    if (index == page.size()) {
      handled.complete();
      return;
    }
    Promise<Void> one = Promise.promise();
    attempt(List.of(page.get(index)), 1, one);
    one.future().onComplete(done -> onContext(() -> publishOneByOne(page, index + 1, handled)));
  }

  // a refused event is kept aside (a dead letter) and counts as done, so the next one goes out; until it is kept it
  // is retried like any failure
  private void setAside(List<RecordedEvent> page, int attempt, Promise<Void> handled, PublishRefusedException refused) {
    RecordedEvent event = page.get(0);
    log.error("relay '{}': {} refused position {} ({}, stream {}) for good; setting it aside: {}",
        options.checkpointName(), broker.name(), event.position(), event.type(), event.streamId(), refused.getMessage());
    RefusedEventHandler handler = refusedEvents != null ? refusedEvents
        : listener instanceof RefusedEventHandler alsoRefused ? alsoRefused : EventRelay::logRefusal;
    Future<Void> kept;
    try {
      kept = handler.refused(event, refused);
    } catch (RuntimeException e) {
      kept = Future.failedFuture(e);
    }
    kept.onComplete(ar -> onContext(() -> {
      if (ar.failed()) {
        retryLater(page, attempt, handled, new BrokerException("could not set aside the refused event at position "
            + event.position() + ": " + ar.cause().getMessage(), ar.cause()));
        return;
      }
      lastPublished = event.position();
      refusedCount++;
      consecutiveFailures = 0;
      sinceCheckpoint++;
      if (sinceCheckpoint >= options.checkpointBatch()) {
        saveCheckpoint();
      }
      handled.complete();
    }));
  }

  private static Future<Void> logRefusal(RecordedEvent event, PublishRefusedException reason) {
    log.error("event at position {} ({}, stream {}) was not published and is kept nowhere but the store: {}",
        event.position(), event.type(), event.streamId(), reason.getMessage());
    return Future.succeededFuture();
  }

  private void retryLater(List<RecordedEvent> page, int attempt, Promise<Void> handled, Throwable cause) {
    long delay = backoff.delayMs(attempt);
    RecordedEvent first = page.get(0);
    log.warn("relay '{}' could not publish positions {}..{} to {} (attempt {}), retrying in {} ms: {}",
        options.checkpointName(), first.position(), page.get(page.size() - 1).position(), broker.name(), attempt, delay,
        String.valueOf(cause));
    parked = handled;
    retryTimer = vertx.setTimer(delay, t -> {
      retryTimer = -1;
      parked = null;
      attempt(page, attempt + 1, handled);
    });
  }

  private void tell(List<RecordedEvent> page) {
    try {
      listener.published(page);
    } catch (RuntimeException e) {
      log.warn("relay '{}': a publish listener failed: {}", options.checkpointName(), e.toString());
    }
  }

  private Future<Void> shutDown() {
    state = State.STOPPING;
    cancelTimers();
    Future<Void> closed = subscription.close();
    if (parked != null) {
      // queued behind the close, so the subscription sees itself closed and hands over nothing more
      Promise<Void> abandoned = parked;
      parked = null;
      context.runOnContext(v -> abandoned.complete());
    }
    return closed
        .recover(err -> Future.succeededFuture()) // already reported by subscriptionEnded
        .transform(ignored -> {
          Promise<Void> saved = Promise.promise();
          onContext(() -> saving.transform(previous -> save()).onComplete(saved));
          return saved.future();
        })
        .andThen(ar -> onContext(() -> {
          state = State.STOPPED;
          log.info("relay '{}' stopped after position {} (checkpoint {})", options.checkpointName(), lastPublished,
              ar.succeeded() ? lastPublished : lastCheckpoint + ", saving failed: " + ar.cause().getMessage());
        }));
  }

  private void subscriptionEnded(AsyncResult<Void> ended) {
    if (state != State.RUNNING) {
      return;
    }
    state = State.FAILED;
    cancelTimers();
    log.error("relay '{}' stopped on its own after position {}", options.checkpointName(), lastPublished, ended.cause());
    stopping = saving.transform(previous -> save());
  }

  // batch and interval saves: at most one in flight; a skipped save is caught up by the next trigger
  private void saveCheckpoint() {
    if (saving.isComplete() && lastPublished > lastCheckpoint) {
      saving = save();
    }
  }

  private Future<Void> save() {
    long position = lastPublished;
    if (position <= lastCheckpoint) {
      return Future.succeededFuture();
    }
    sinceCheckpoint = 0;
    Promise<Void> saved = Promise.promise();
    Future<Void> stored = epoch == UNFENCED ? checkpoints.save(options.checkpointName(), position)
        : checkpoints.save(options.checkpointName(), position, epoch);
    stored.onComplete(ar -> onContext(() -> {
      if (ar.succeeded()) {
        lastCheckpoint = Math.max(lastCheckpoint, position);
      } else if (ar.cause() instanceof CheckpointFencedException) {
        fenced(position);
      } else {
        log.warn("relay '{}' could not save checkpoint {}: {}", options.checkpointName(), position, ar.cause().getMessage());
      }
      saved.handle(ar);
    }));
    return saved.future();
  }

  // a newer lease holder owns the checkpoint: this relay may no longer publish
  private void fenced(long position) {
    log.error("relay '{}' (epoch {}) stops: checkpoint {} was refused because a newer lease holder owns the checkpoint",
        options.checkpointName(), epoch, position);
    if (state == State.RUNNING) {
      stopping = shutDown();
    }
  }

  private void cancelTimers() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  private void onContext(Runnable action) {
    OnContext.run(context, action);
  }
}
