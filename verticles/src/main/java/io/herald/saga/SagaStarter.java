package io.herald.saga;

import io.herald.event.RecordedEvent;
import io.herald.event.domain.OrderCreated;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.herald.store.Subscription;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts a saga for every {@code order.created}, following the store itself from a stored checkpoint rather than a
 * broker: a saga is stored before the checkpoint moves past its order, so no order is ever left without a saga,
 * whatever crashes. Replaying past the checkpoint finds the sagas already stored and starts nothing twice.
 */
final class SagaStarter {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SagaStarter.class);

  private final EventStore store;
  private final CheckpointStore checkpoints;
  private final String name;
  private final SagaEngine engine;
  private final long deadlineMs;
  private final long checkpointIntervalMs;
  private Subscription subscription;
  private long handled;
  private long savedAt;
  private long lastSaveMs;

  SagaStarter(EventStore store, String checkpointName, SagaEngine engine, long deadlineMs, long checkpointIntervalMs) {
    this.store = Objects.requireNonNull(store, "store");
    this.checkpoints = store.checkpoints();
    this.name = Objects.requireNonNull(checkpointName, "checkpointName");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.deadlineMs = deadlineMs;
    this.checkpointIntervalMs = checkpointIntervalMs;
  }

  Future<Void> start() {
    return checkpoints.load(name).map(position -> {
      handled = position;
      savedAt = position;
      lastSaveMs = System.currentTimeMillis();
      subscription = store.subscribePages(position + 1, this::page);
      subscription.done().onFailure(err -> log.error("saga starter stopped at position {}; restart the saga service",
          handled + 1, err));
      return null;
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
        return Future.succeededFuture();
      }
      lastSaveMs = now;
      return saveCheckpoint();
    });
  }

  private Future<Void> saveCheckpoint() {
    long position = handled;
    if (position <= savedAt) {
      return Future.succeededFuture();
    }
    return checkpoints.save(name, position).onSuccess(v -> savedAt = Math.max(savedAt, position));
  }

  /** Stops following the store and saves how far it got. */
  Future<Void> stop() {
    Future<Void> closed = subscription == null ? Future.succeededFuture() : subscription.close();
    return closed.eventually(this::saveCheckpoint);
  }
}
