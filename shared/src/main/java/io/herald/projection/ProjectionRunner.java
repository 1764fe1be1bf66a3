package io.herald.projection;

import io.herald.event.RecordedEvent;
import io.herald.store.CheckpointFencedException;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.herald.store.StoreUnavailableException;
import io.herald.store.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one read model up to date: subscribes to the store from its stored checkpoint + 1, applies every event
 * through its {@link ProjectionHandler}, and stores the checkpoint in batches and on stop. It can be rebuilt from
 * position 1 while the platform runs, reports its state and lag, and lets a read wait until it has reached a
 * position (read-your-writes). All state lives on the context the runner was created on.
 */
public final class ProjectionRunner {

  private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);
  private static final long MIN_RETRY_DELAY_MS = 100;
  private static final long MAX_RETRY_DELAY_MS = 5_000;

  private final Vertx vertx;
  private final Context context;
  private final EventStore store;
  private final CheckpointStore checkpoints;
  private final String name;
  private final ProjectionHandler handler;
  private final ProjectionOptions options;
  private final List<Waiter> waiters = new ArrayList<>();

  private volatile ProjectionState state = ProjectionState.STOPPED;
  private volatile long applied;
  private volatile String error;
  private long saved;
  private long catchUpTarget;
  private int sinceSave;
  private long flushTimer = -1;
  private long retryTimer = -1;
  private long retryDelayMs = MIN_RETRY_DELAY_MS;
  private volatile long generation;
  private long epoch;   // the checkpoint's epoch this runner saves with; a rebuild raises it
  private Subscription subscription;

  public ProjectionRunner(Vertx vertx, EventStore store, CheckpointStore checkpoints, String name,
                          ProjectionHandler handler, ProjectionOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.name = Objects.requireNonNull(name, "name");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.options = Objects.requireNonNull(options, "options");
    this.context = vertx.getOrCreateContext();
  }

  public String name() {
    return name;
  }

  public ProjectionState state() {
    return state;
  }

  /** @return the last position applied */
  public long checkpoint() {
    return applied;
  }

  /** Loads the checkpoint and starts applying from the event after it. */
  public Future<Void> start() {
    return onContext(() -> checkpoints.open(name).compose(checkpoint -> {
      epoch = checkpoint.epoch();
      return begin(checkpoint.position(), ProjectionState.CATCHING_UP);
    }));
  }

  /**
   * Marks a runner that is not started as waiting for another process to give up the writer role. Its status then
   * reports the checkpoint stored by whoever applies the projection.
   */
  public Future<Void> standby() {
    return onContext(() -> {
      if (state == ProjectionState.STOPPED) {
        state = ProjectionState.STANDBY;
      }
      return Future.succeededFuture();
    });
  }

  /** Stops applying and stores the checkpoint of the last applied event. */
  public Future<Void> stop() {
    return onContext(() -> halt().compose(v -> save()).onSuccess(v -> state = ProjectionState.STOPPED));
  }

  /**
   * Empties the read model and replays every event from position 1, while reads go on; the state is
   * {@link ProjectionState#REBUILDING} until it has caught up with the head as it was when the rebuild began.
   * A read waiting for a position ({@link #awaitPosition}) waits for the replay to reach it again.
   */
  public Future<Void> rebuild() {
    return onContext(() -> {
      // before the read model is emptied: a read waiting for a position now waits for the replay instead of
      // finding the emptied model, and an event of the old subscription still in flight no longer counts
      generation++;
      applied = 0;
      state = ProjectionState.REBUILDING;
      return halt()
          .compose(v -> handler.reset())
          // raises the checkpoint's epoch: a save still in flight from before cannot move it past the empty model
          .compose(v -> checkpoints.reset(name))
          .compose(newEpoch -> {
            epoch = newEpoch;
            saved = 0;
            log.info("projection '{}' rebuilding from position 1", name);
            return begin(0, ProjectionState.REBUILDING);
          });
    });
  }

  /**
   * @return the projection's state, checkpoint and lag against the store's current head; a runner that does not
   *     apply events here reports the stored checkpoint, as another process (or its own last run) left it
   */
  public Future<ProjectionStatus> status() {
    ProjectionState now = state;
    if (now == ProjectionState.STOPPED || now == ProjectionState.STANDBY) {
      return checkpoints.load(name).compose(stored -> store.headPosition()
          .map(head -> new ProjectionStatus(name, now, stored, head, error)));
    }
    return store.headPosition().map(head -> new ProjectionStatus(name, now, applied, head, error));
  }

  /**
   * Waits until the projection has applied {@code position} (read-your-writes).
   *
   * @param timeoutMs how long to wait, in milliseconds
   * @return succeeds at once when the position is reached; fails with {@link ProjectionTimeoutException} after the timeout
   */
  public Future<Void> awaitPosition(long position, long timeoutMs) {
    return onContext(() -> {
      if (applied >= position) {
        return Future.succeededFuture();
      }
      Promise<Void> reached = Promise.promise();
      Waiter waiter = new Waiter(position, reached);
      waiter.timer = vertx.setTimer(timeoutMs, t -> {
        waiters.remove(waiter);
        reached.tryFail(new ProjectionTimeoutException(name, applied, position, timeoutMs));
      });
      waiters.add(waiter);
      return reached.future();
    });
  }

  private Future<Void> begin(long from, ProjectionState starting) {
    saved = Math.max(saved, from);
    error = null;
    return resume(from, starting);
  }

  /** Subscribes from {@code from + 1}; {@code saved} stays as it is, so a checkpoint missed in an outage is saved later. */
  private Future<Void> resume(long from, ProjectionState starting) {
    applied = from;
    return store.headPosition().map(head -> {
      catchUpTarget = head;
      state = applied >= head ? ProjectionState.LIVE : starting;
      long subscribed = generation;
      subscription = store.subscribePages(from + 1, options.pageSize(), page -> onPage(page, subscribed));
      subscription.done().onComplete(done -> {
        if (done.failed()) {
          context.runOnContext(v -> {
            if (subscribed == generation) {
              failed(done.cause());
            }
          });
        }
      });
      flushTimer = vertx.setPeriodic(options.checkpointIntervalMs(), t -> {
        if (applied > saved) {
          save();
        }
      });
      log.info("projection '{}' applying from position {} ({})", name, from + 1, state.name().toLowerCase());
      return null;
    });
  }

  private Future<Void> onPage(List<RecordedEvent> delivered, long subscribed) {
    if (subscribed != generation || !running()) {
      return Future.succeededFuture();   // replaced by a rebuild, or stopped: its pages no longer apply
    }
    // the page is applied as the continuation of what was applied; an event at or below that was applied already
    long after = applied;
    List<RecordedEvent> page = delivered.get(0).position() > after ? delivered
        : delivered.stream().filter(e -> e.position() > after).toList();
    if (page.isEmpty()) {
      return Future.succeededFuture();
    }
    return handler.applyPage(after, page).compose(v -> onContext(() -> {
      if (subscribed != generation) {
        return Future.<Void>succeededFuture();   // applied by a subscription a rebuild has replaced
      }
      applied = page.get(page.size() - 1).position();
      if (retryDelayMs != MIN_RETRY_DELAY_MS) {
        retryDelayMs = MIN_RETRY_DELAY_MS;
        error = null;
        log.info("projection '{}' reaches the store again", name);
      }
      if (state != ProjectionState.LIVE && applied >= catchUpTarget) {
        state = ProjectionState.LIVE;
        log.info("projection '{}' caught up at position {}", name, applied);
      }
      sinceSave += page.size();
      if (sinceSave >= options.checkpointEvery()) {
        save();
      }
      release();
      return Future.<Void>succeededFuture();
    }));
  }

  private void release() {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (applied >= waiter.position) {
        vertx.cancelTimer(waiter.timer);
        waiter.reached.tryComplete();
        it.remove();
      }
    }
  }

  private void failed(Throwable cause) {
    if (!running()) {
      return;   // a subscription of a run that has stopped: retrying it would start a second one beside the next run
    }
    if (cause instanceof PageFailedException partial && partial.appliedThrough() > applied) {
      applied = partial.appliedThrough();
      release();
    }
    if (isStoreOutage(cause)) {
      retryAfterOutage(cause);
      return;
    }
    state = ProjectionState.FAILED;
    Throwable reason = cause instanceof PageFailedException && cause.getCause() != null ? cause.getCause() : cause;
    error = reason.getMessage();
    cancelTimer();
    log.error("projection '{}' stopped after position {}: {}", name, applied, reason.toString());
    save();
  }

  /** The store could not be reached: nothing is wrong with the events, so try again later from where it stopped. */
  private void retryAfterOutage(Throwable cause) {
    cancelTimer();
    subscription = null;
    error = "store unavailable, retrying: " + cause.getMessage();
    long delay = retryDelayMs;
    retryDelayMs = Math.min(retryDelayMs * 2, MAX_RETRY_DELAY_MS);
    log.warn("projection '{}' cannot reach the store after position {}, retrying in {} ms: {}", name, applied, delay,
        cause.getMessage());
    ProjectionState resumeAs = state == ProjectionState.REBUILDING ? ProjectionState.REBUILDING : ProjectionState.CATCHING_UP;
    retryTimer = vertx.setTimer(delay, t -> {
      retryTimer = -1;
      resume(applied, resumeAs).onFailure(this::failed);
    });
  }

  private boolean running() {
    return state != ProjectionState.STOPPED && state != ProjectionState.STANDBY;
  }

  private static boolean isStoreOutage(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StoreUnavailableException) {
        return true;
      }
    }
    return false;
  }

  private Future<Void> halt() {
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    cancelTimer();
    Subscription current = subscription;
    subscription = null;
    if (current == null) {
      return Future.succeededFuture();
    }
    return current.close().otherwiseEmpty();
  }

  private Future<Void> save() {
    long position = applied;
    if (position <= saved) {
      return Future.succeededFuture();
    }
    sinceSave = 0;
    long mine = epoch;
    return checkpoints.save(name, position, mine)
        .onSuccess(v -> {
          if (mine == epoch) {
            saved = Math.max(saved, position);
          }
        })
        .onFailure(err -> {
          if (err instanceof CheckpointFencedException && mine != epoch) {
            log.debug("projection '{}': checkpoint {} from before the rebuild was refused", name, position);
          } else {
            log.warn("projection '{}' could not store checkpoint {}: {}", name, position, err.getMessage());
          }
        });
  }

  private void cancelTimer() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  private static final class Waiter {
    final long position;
    final Promise<Void> reached;
    long timer;

    Waiter(long position, Promise<Void> reached) {
      this.position = position;
      this.reached = reached;
    }
  }
}
