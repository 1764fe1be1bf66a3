package io.herald.ordersaga;

import io.herald.async.Backoff;
import io.herald.event.RecordedEvent;
import io.herald.projection.ProjectionHandler;
import io.herald.saga.SagaState;
import io.herald.saga.SagaStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the choreographed sagas' records in the {@link SagaStore}, the same store and shape the orchestrator uses,
 * so the saga queries answer alike in both modes. A page of events is applied to the sagas it touches
 * ({@link ChoreographedSagas}), then every changed saga is saved at once (one statement on PostgreSQL); a read or a
 * save that fails is tried again with backoff, so the record never skips an event. Unfinished sagas stay cached on the
 * projection's context, which is the only writer.
 */
final class SagaRecordProjection implements ProjectionHandler {

  private static final Logger log = LoggerFactory.getLogger(SagaRecordProjection.class);

  private final Vertx vertx;
  private final SagaStore sagas;
  private final long deadlineMs;
  private final Backoff backoff;
  private final Map<String, SagaState> cache = new HashMap<>();
  private volatile boolean stopped;

  SagaRecordProjection(Vertx vertx, SagaStore sagas, long deadlineMs, Backoff backoff) {
    this.vertx = vertx;
    this.sagas = sagas;
    this.deadlineMs = deadlineMs;
    this.backoff = backoff;
  }

  @Override
  public Future<Void> apply(RecordedEvent event) {
    return applyPage(List.of(event));
  }

  @Override
  public Future<Void> applyPage(List<RecordedEvent> events) {
    Map<String, SagaState> changed = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (RecordedEvent event : events) {
      String orderId = ChoreographedSagas.orderIdOf(event.data());
      if (orderId == null) {
        continue;
      }
      String sagaId = OrderSagas.sagaId(orderId);
      chain = chain.compose(v -> current(sagaId)).map(saga -> {
        SagaState next = ChoreographedSagas.apply(saga, event, deadlineMs);
        if (next != null) {
          cache.put(sagaId, next);
          changed.put(sagaId, next);
        }
        return null;
      });
    }
    return chain
        .compose(v -> saveAll(new ArrayList<>(changed.values()), 1))
        .onSuccess(v -> changed.values().stream().filter(s -> s.status().finished()).forEach(s -> cache.remove(s.id())))
        .onFailure(err -> cache.clear());   // applied again from the store's records
  }

  private Future<SagaState> current(String sagaId) {
    SagaState cached = cache.get(sagaId);
    return cached != null ? Future.succeededFuture(cached) : load(sagaId, 1);
  }

  /** Reads a saga not cached, trying again with backoff while the saga store is unavailable. */
  private Future<SagaState> load(String sagaId, int attempt) {
    return sagas.get(sagaId).<SagaState>map(found -> found.orElse(null)).recover(err -> {
      if (stopped) {
        return Future.failedFuture(err);
      }
      long delay = backoff.delayMs(attempt);
      log.warn("saga record {} not read (attempt {}), trying again in {} ms: {}", sagaId, attempt, delay, err.getMessage());
      return vertx.timer(delay).compose(v -> load(sagaId, attempt + 1));
    });
  }

  private Future<Void> saveAll(List<SagaState> changed, int attempt) {
    if (changed.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.all(changed.stream().map(sagas::save).toList()).<Void>mapEmpty().recover(err -> {
      if (stopped) {
        return Future.failedFuture(err);
      }
      long delay = backoff.delayMs(attempt);
      log.warn("{} saga record(s) not saved (attempt {}), trying again in {} ms: {}", changed.size(), attempt, delay,
          err.getMessage());
      return vertx.timer(delay).compose(v -> saveAll(changed, attempt + 1));
    });
  }

  /** Nothing to empty: a replay from position 1 finds each saga past the events it already applied. */
  @Override
  public Future<Void> reset() {
    cache.clear();
    return Future.succeededFuture();
  }

  void stop() {
    stopped = true;
  }
}
