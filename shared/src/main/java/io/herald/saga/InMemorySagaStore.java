package io.herald.saga;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Sagas in this process only: the embedded profile's store, lost when the process stops. */
public final class InMemorySagaStore implements SagaStore {

  private final Map<String, SagaState> sagas = new ConcurrentHashMap<>();

  @Override
  public Future<List<SagaState>> createAll(List<SagaState> created) {
    List<SagaState> fresh = new ArrayList<>();
    for (SagaState saga : created) {
      if (sagas.putIfAbsent(saga.id(), saga) == null) {
        fresh.add(saga);
      }
    }
    return Future.succeededFuture(fresh);
  }

  @Override
  public Future<Void> save(SagaState saga) {
    sagas.put(saga.id(), saga);
    return Future.succeededFuture();
  }

  @Override
  public Future<Optional<SagaState>> get(String id) {
    return Future.succeededFuture(Optional.ofNullable(sagas.get(id)));
  }

  @Override
  public Future<List<SagaState>> find(String orderId, SagaStatus status, int limit) {
    return Future.succeededFuture(sagas.values().stream()
        .filter(s -> orderId == null || orderId.equals(s.orderId()))
        .filter(s -> status == null || status == s.status())
        .sorted(Comparator.comparing(SagaState::startedAt).thenComparing(SagaState::id))
        .limit(limit)
        .toList());
  }

  @Override
  public Future<java.util.Map<SagaStatus, Long>> countByStatus() {
    return Future.succeededFuture(sagas.values().stream()
        .collect(java.util.stream.Collectors.groupingBy(SagaState::status, java.util.stream.Collectors.counting())));
  }

  @Override
  public Future<List<SagaState>> unfinished() {
    return Future.succeededFuture(sagas.values().stream()
        .filter(s -> !s.status().finished())
        .sorted(Comparator.comparing(SagaState::startedAt).thenComparing(SagaState::id))
        .toList());
  }
}
