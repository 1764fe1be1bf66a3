package io.herald.store.pg;

import io.herald.store.CheckpointStore;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** Checkpoints in the store's {@code checkpoints} table; a save never moves a checkpoint backwards. */
final class PgCheckpointStore implements CheckpointStore {

  private final Pool pool;
  private final String address;

  PgCheckpointStore(Pool pool, String address) {
    this.pool = pool;
    this.address = address;
  }

  @Override
  public Future<Long> load(String name) {
    return pool.preparedQuery("SELECT position FROM checkpoints WHERE name = $1").execute(Tuple.of(name))
        .recover(this::unavailable)
        .map(rs -> rs.size() == 0 ? 0L : rs.iterator().next().getLong(0));
  }

  @Override
  public Future<Void> save(String name, long position) {
    return pool.preparedQuery("INSERT INTO checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE"
            + " SET position = greatest(checkpoints.position, EXCLUDED.position), updated_at = now()")
        .execute(Tuple.of(name, position))
        .recover(this::unavailable)
        .mapEmpty();
  }

  @Override
  public Future<Void> reset(String name) {
    return pool.preparedQuery("DELETE FROM checkpoints WHERE name = $1").execute(Tuple.of(name))
        .recover(this::unavailable)
        .mapEmpty();
  }

  private <T> Future<T> unavailable(Throwable err) {
    return Future.failedFuture(new StoreUnavailableException("checkpoints at " + address + " are unavailable: " + err.getMessage(), err));
  }
}
