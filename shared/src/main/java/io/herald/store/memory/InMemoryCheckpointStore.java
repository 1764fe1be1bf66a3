package io.herald.store.memory;

import io.herald.store.CheckpointStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints kept in this process only, for the embedded profile. */
public final class InMemoryCheckpointStore implements CheckpointStore {

  private final Map<String, Long> positions = new ConcurrentHashMap<>();

  @Override
  public Future<Long> load(String name) {
    return Future.succeededFuture(positions.getOrDefault(name, 0L));
  }

  @Override
  public Future<Void> save(String name, long position) {
    positions.merge(name, position, Math::max);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> reset(String name) {
    positions.remove(name);
    return Future.succeededFuture();
  }
}
