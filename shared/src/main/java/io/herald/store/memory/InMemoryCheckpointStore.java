package io.herald.store.memory;

import io.herald.store.Checkpoint;
import io.herald.store.CheckpointFencedException;
import io.herald.store.CheckpointStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints kept in this process only, for the embedded profile. */
public final class InMemoryCheckpointStore implements CheckpointStore {

  private static final Checkpoint NONE = new Checkpoint(0, 0);

  private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();

  @Override
  public Future<Long> load(String name) {
    return Future.succeededFuture(checkpoints.getOrDefault(name, NONE).position());
  }

  @Override
  public Future<Checkpoint> open(String name) {
    return Future.succeededFuture(checkpoints.getOrDefault(name, NONE));
  }

  @Override
  public Future<Void> save(String name, long position) {
    checkpoints.merge(name, new Checkpoint(position, 0),
        (old, saved) -> new Checkpoint(Math.max(old.position(), position), old.epoch()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> save(String name, long position, long epoch) {
    // a checkpoint nobody wrote yet is taken by its first writer
    Checkpoint stored = checkpoints.compute(name, (n, old) -> {
      Checkpoint current = old == null ? new Checkpoint(0, epoch) : old;
      return current.epoch() == epoch ? new Checkpoint(Math.max(current.position(), position), epoch) : current;
    });
    return stored.epoch() == epoch ? Future.succeededFuture()
        : Future.failedFuture(new CheckpointFencedException(name, epoch));
  }

  @Override
  public Future<Long> claim(String name, long epoch) {
    Checkpoint stored = checkpoints.compute(name, (n, old) -> {
      Checkpoint current = old == null ? NONE : old;
      return current.epoch() <= epoch ? new Checkpoint(current.position(), epoch) : current;
    });
    return stored.epoch() == epoch ? Future.succeededFuture(stored.position())
        : Future.failedFuture(new CheckpointFencedException(name, epoch));
  }

  @Override
  public Future<Long> reset(String name) {
    Checkpoint stored = checkpoints.compute(name, (n, old) -> new Checkpoint(0, (old == null ? 0 : old.epoch()) + 1));
    return Future.succeededFuture(stored.epoch());
  }
}
