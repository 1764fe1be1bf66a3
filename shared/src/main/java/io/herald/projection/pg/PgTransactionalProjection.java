package io.herald.projection.pg;

import io.herald.event.RecordedEvent;
import io.herald.projection.ProjectionHandler;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Objects;

/**
 * A read model in PostgreSQL whose writes and checkpoint commit together: each event's changes and the
 * projection's position go in one transaction, so after a crash the projection resumes exactly after the last
 * event it applied, applying none twice, even when its changes are not idempotent. Use the store's pool
 * ({@code PgEventStore.pool()}) so the checkpoint lands in the store's {@code checkpoints} table, and run it with
 * a {@link io.herald.projection.ProjectionRunner} of the same name.
 */
public final class PgTransactionalProjection implements ProjectionHandler {

  /** Applies one event's changes inside the given transaction. */
  @FunctionalInterface
  public interface Apply {
    Future<Void> apply(SqlConnection tx, RecordedEvent event);
  }

  /** Empties the read model inside the given transaction, before a rebuild. */
  @FunctionalInterface
  public interface Reset {
    Future<Void> reset(SqlConnection tx);
  }

  static final String SAVE_CHECKPOINT = "INSERT INTO checkpoints (name, position) VALUES ($1, $2)"
      + " ON CONFLICT (name) DO UPDATE SET position = greatest(checkpoints.position, EXCLUDED.position), updated_at = now()";

  private final Pool pool;
  private final String name;
  private final Apply apply;
  private final Reset reset;

  /**
   * @param pool  connections in the store's schema
   * @param name  the projection's name, which is also its checkpoint's name
   * @param apply the changes for one event
   * @param reset how to empty the read model
   */
  public PgTransactionalProjection(Pool pool, String name, Apply apply, Reset reset) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.name = Objects.requireNonNull(name, "name");
    this.apply = Objects.requireNonNull(apply, "apply");
    this.reset = Objects.requireNonNull(reset, "reset");
  }

  @Override
  public Future<Void> apply(RecordedEvent event) {
    return pool.withTransaction(tx -> apply.apply(tx, event)
        .compose(v -> tx.preparedQuery(SAVE_CHECKPOINT).execute(Tuple.of(name, event.position())))
        .<Void>mapEmpty())
        .recover(PgDocumentStore::unavailable);
  }

  /**
   * Applies a page of events and moves the checkpoint past the last one, all in one transaction. When the page
   * fails, its events are applied again one transaction each, so the projection stops exactly at the failing event.
   */
  @Override
  public Future<Void> applyPage(List<RecordedEvent> events) {
    if (events.size() <= 1) {
      return ProjectionHandler.applyEach(this, events);
    }
    long last = events.get(events.size() - 1).position();
    return pool.withTransaction(tx -> {
          Future<Void> chain = Future.succeededFuture();
          for (RecordedEvent event : events) {
            chain = chain.compose(v -> apply.apply(tx, event));
          }
          return chain.compose(v -> tx.preparedQuery(SAVE_CHECKPOINT).execute(Tuple.of(name, last))).<Void>mapEmpty();
        })
        .recover(PgDocumentStore::unavailable)
        // an unreachable store fails every event alike; anything else may be one bad event: find it
        .recover(err -> err instanceof StoreUnavailableException ? Future.failedFuture(err) : ProjectionHandler.applyEach(this, events));
  }

  @Override
  public Future<Void> reset() {
    return pool.withTransaction(tx -> reset.reset(tx)
        .compose(v -> tx.preparedQuery("DELETE FROM checkpoints WHERE name = $1").execute(Tuple.of(name)))
        .mapEmpty());
  }
}
