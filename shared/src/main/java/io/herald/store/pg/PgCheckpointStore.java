package io.herald.store.pg;

import io.herald.store.Checkpoint;
import io.herald.store.CheckpointFencedException;
import io.herald.store.CheckpointStore;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Checkpoints in the store's {@code checkpoints} table; a save never moves a checkpoint backwards, and a fenced save
 * moves it only while its epoch is the row's (migration V7).
 */
final class PgCheckpointStore implements CheckpointStore {

  private static final String SAVE = "INSERT INTO checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE"
      + " SET position = greatest(checkpoints.position, EXCLUDED.position), updated_at = now()";
  // a row nobody wrote yet is taken by its first writer; otherwise only the owner's epoch moves it
  private static final String SAVE_FENCED = "INSERT INTO checkpoints (name, position, epoch) VALUES ($1, $2, $3)"
      + " ON CONFLICT (name) DO UPDATE SET position = greatest(checkpoints.position, EXCLUDED.position), updated_at = now()"
      + " WHERE checkpoints.epoch = EXCLUDED.epoch";
  private static final String CLAIM = "INSERT INTO checkpoints (name, position, epoch) VALUES ($1, 0, $2)"
      + " ON CONFLICT (name) DO UPDATE SET epoch = EXCLUDED.epoch, updated_at = now()"
      + " WHERE checkpoints.epoch <= EXCLUDED.epoch RETURNING position";
  private static final String RESET = "INSERT INTO checkpoints (name, position, epoch) VALUES ($1, 0, 1)"
      + " ON CONFLICT (name) DO UPDATE SET position = 0, epoch = checkpoints.epoch + 1, updated_at = now() RETURNING epoch";

  private final Pool pool;
  private final String address;

  PgCheckpointStore(Pool pool, String address) {
    this.pool = pool;
    this.address = address;
  }

  @Override
  public Future<Long> load(String name) {
    return open(name).map(Checkpoint::position);
  }

  @Override
  public Future<Checkpoint> open(String name) {
    return pool.preparedQuery("SELECT position, epoch FROM checkpoints WHERE name = $1").execute(Tuple.of(name))
        .recover(this::unavailable)
        .map(rs -> {
          if (rs.size() == 0) {
            return new Checkpoint(0, 0);
          }
          var row = rs.iterator().next();
          return new Checkpoint(row.getLong(0), row.getLong(1));
        });
  }

  @Override
  public Future<Void> save(String name, long position) {
    return pool.preparedQuery(SAVE).execute(Tuple.of(name, position))
        .recover(this::unavailable)
        .mapEmpty();
  }

  @Override
  public Future<Void> save(String name, long position, long epoch) {
    return pool.preparedQuery(SAVE_FENCED).execute(Tuple.of(name, position, epoch))
        .recover(this::unavailable)
        .compose(rs -> rs.rowCount() == 1 ? Future.succeededFuture()
            : Future.failedFuture(new CheckpointFencedException(name, epoch)));
  }

  @Override
  public Future<Long> claim(String name, long epoch) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(name, epoch))
        .recover(this::unavailable)
        .compose(rs -> rs.size() == 1 ? Future.succeededFuture(rs.iterator().next().getLong(0))
            : Future.failedFuture(new CheckpointFencedException(name, epoch)));
  }

  @Override
  public Future<Long> reset(String name) {
    return pool.preparedQuery(RESET).execute(Tuple.of(name))
        .recover(this::unavailable)
        .map(rs -> rs.iterator().next().getLong(0));
  }

  private <T> Future<T> unavailable(Throwable err) {
    return Future.failedFuture(new StoreUnavailableException("checkpoints at " + address + " are unavailable: " + err.getMessage(), err));
  }
}
