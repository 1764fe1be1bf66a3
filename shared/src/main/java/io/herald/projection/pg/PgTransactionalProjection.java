package io.herald.projection.pg;

import io.herald.async.Sequential;
import io.herald.event.RecordedEvent;
import io.herald.projection.ProjectionHandler;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Objects;

/**
 * A read model in PostgreSQL whose writes and checkpoint commit together: each event's changes and the
 * projection's position go in one transaction, so after a crash the projection resumes exactly after the last
 * event it applied, applying none twice, even when its changes are not idempotent. The checkpoint moves only forward
 * from where the page starts, so a page whose commit went through while its answer was lost is not applied again. Use the store's pool
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

  private final Pool pool;
  private final Reset reset;
  private final CheckpointedPages pages;

  /**
   * @param pool  connections in the store's schema
   * @param name  the projection's name, which is also its checkpoint's name
   * @param apply the changes for one event
   * @param reset how to empty the read model
   */
  public PgTransactionalProjection(Pool pool, String name, Apply apply, Reset reset) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.reset = Objects.requireNonNull(reset, "reset");
    Objects.requireNonNull(apply, "apply");
    this.pages = new CheckpointedPages(pool, Objects.requireNonNull(name, "name"), (tx, events) -> Sequential.each(events, (i, event) -> apply.apply(tx, event)));
  }

  /** Applies one event whose predecessor is not known: the checkpoint moves only if it is below the event. */
  @Override
  public Future<Void> apply(RecordedEvent event) {
    return pages.commit(CheckpointedPages.UNKNOWN, List.of(event));
  }

  @Override
  public Future<Void> applyPage(List<RecordedEvent> events) {
    return pages.commitOrFind(CheckpointedPages.UNKNOWN, events);
  }

  /**
   * Applies a page of events and moves the checkpoint from {@code after} past the last one, all in one transaction;
   * a page whose commit went through unseen is not applied again. When the page fails, its events are applied
   * again one transaction each, so the projection stops exactly at the failing event.
   */
  @Override
  public Future<Void> applyPage(long after, List<RecordedEvent> events) {
    return pages.commitOrFind(after, events);
  }

  @Override
  public Future<Void> reset() {
    return pool.withTransaction(tx -> reset.reset(tx).compose(v -> pages.reset(tx)));
  }
}
