package io.herald.ordersaga;

import io.herald.async.Backoff;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.OrderCreated;
import io.herald.saga.SagaEngine;
import io.herald.saga.SagaState;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.herald.store.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts a saga for every {@code order.created}, following the store itself from a stored checkpoint rather than a
 * broker: a saga is stored before the checkpoint moves past its order, so no order is ever left without a saga,
 * whatever crashes. Replaying past the checkpoint finds the sagas already stored and starts nothing twice.
 *
 * <p>A page that fails (the store unreachable for a moment, a checkpoint not saved) stops the subscription; after a
 * backoff wait the starter saves its checkpoint and follows the store again from the first order it has not handled,
 * as often as it takes. Until then its readiness check ({@link #check()}) is down with the reason.
 *
 * <p>On a store shared by several nodes it runs only on the holder of the saga role, and claims and saves its
 * checkpoint with the role's epoch, so a node that lost the role cannot move it.
 */
final class SagaStarter {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SagaStarter.class);

  private final Vertx vertx;
  private final EventStore store;
  private final CheckpointStore checkpoints;
  private final String name;
  private final SagaEngine engine;
  private final long deadlineMs;
  private final long checkpointIntervalMs;
  private final Backoff backoff;
  private final long epoch;
  private Subscription subscription;
  private long handled;
  private long savedAt;
  private long lastSaveMs;
  private int failures;
  private String lastFailure;
  private long retryTimer = -1;
  private boolean stopped;

  SagaStarter(Vertx vertx, EventStore store, CheckpointStore checkpoints, String checkpointName, SagaEngine engine,
              long deadlineMs, long checkpointIntervalMs, Backoff backoff, long epoch) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.name = Objects.requireNonNull(checkpointName, "checkpointName");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.deadlineMs = deadlineMs;
    this.checkpointIntervalMs = checkpointIntervalMs;
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.epoch = epoch;
  }

  /** Claims the checkpoint with the saga role's epoch (0 in a single process: unfenced), then follows the store. */
  Future<Void> start() {
    return (epoch == 0 ? checkpoints.load(name) : checkpoints.claim(name, epoch)).map(position -> {
      handled = position;
      savedAt = position;
      lastSaveMs = System.currentTimeMillis();
      follow();
      return null;
    });
  }

  /** @return readiness: up with the position handled, down with the failure while the starter waits to follow again */
  Future<JsonObject> check() {
    synchronized (this) {
      if (lastFailure != null) {
        return Future.failedFuture("saga starter stopped at position " + (handled + 1) + " after " + failures
            + " failure(s), following the store again soon: " + lastFailure);
      }
      return Future.succeededFuture(new JsonObject().put("position", handled));
    }
  }

  private void follow() {
    if (stopped) {
      return;
    }
    subscription = store.subscribePages(handled + 1, this::page);
    subscription.done().onFailure(this::retryLater);
  }

  private void retryLater(Throwable err) {
    if (stopped) {
      return;
    }
    long delay;
    synchronized (this) {
      failures++;
      lastFailure = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
      delay = backoff.delayMs(failures);
    }
    log.warn("saga starter stopped at position {} (failure {}), following the store again in {} ms: {}", handled + 1,
        failures, delay, lastFailure);
    retryTimer = vertx.setTimer(delay, t -> {
      retryTimer = -1;
      // what was handled is saved first: a checkpoint store still failing waits again, before reading anything
      saveCheckpoint().onSuccess(v -> {
        recovered();
        follow();
      }).onFailure(this::retryLater);
    });
  }

  private Future<Void> page(List<RecordedEvent> events) {
    List<SagaState> sagas = new ArrayList<>();
    for (RecordedEvent event : events) {
      if (event.data() instanceof OrderCreated order) {
        sagas.add(OrderSagas.started(event, order, deadlineMs));
      }
    }
    long last = events.get(events.size() - 1).position();
    Future<?> started = sagas.isEmpty() ? Future.succeededFuture() : engine.start(sagas);
    return started.compose(v -> {
      handled = last;
      long now = System.currentTimeMillis();
      if (now - lastSaveMs < checkpointIntervalMs) {
        return Future.<Void>succeededFuture();
      }
      lastSaveMs = now;
      return saveCheckpoint();
    }).onSuccess(v -> recovered());
  }

  private synchronized void recovered() {
    if (lastFailure != null) {
      log.info("saga starter follows the store again from position {}", handled + 1);
    }
    failures = 0;
    lastFailure = null;
  }

  private Future<Void> saveCheckpoint() {
    long position = handled;
    if (position <= savedAt) {
      return Future.succeededFuture();
    }
    Future<Void> saved = epoch == 0 ? checkpoints.save(name, position) : checkpoints.save(name, position, epoch);
    return saved.onSuccess(v -> savedAt = Math.max(savedAt, position));
  }

  /** Stops following the store and saves how far it got. */
  Future<Void> stop() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    Future<Void> closed = subscription == null ? Future.succeededFuture() : subscription.close();
    return closed.eventually(this::saveCheckpoint);
  }
}
