package io.herald.delivery.pg;

import io.herald.delivery.Inbox;
import io.herald.event.RecordedEvent;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * The inbox in the store's schema ({@code inbox}): the effect gets the transaction's connection, so its own writes
 * and the inbox row commit together or not at all. A concurrent second delivery of the same event waits on the
 * first one's row lock and then sees it as a repeat.
 */
public final class PgInbox implements Inbox<SqlConnection> {

  private final Pool pool;

  /** @param pool a pool whose connections use the store's schema (for example {@code PgEventStore.pool()}) */
  public PgInbox(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Boolean> handleOnce(String consumer, RecordedEvent event, Function<SqlConnection, Future<Void>> effect) {
    return pool.withTransaction(conn -> conn
            .preparedQuery("INSERT INTO inbox (consumer, event_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .execute(Tuple.of(consumer, event.envelope().id(), event.position()))
            .compose(inserted -> inserted.rowCount() == 0
                ? Future.succeededFuture(false)
                : effect.apply(conn).map(true)))
        .recover(err -> err instanceof PgException || !isConnectionProblem(err)
            ? Future.failedFuture(err)
            : Future.failedFuture(new StoreUnavailableException("the inbox is unavailable: " + err.getMessage(), err)));
  }

  // failures of the effect itself pass through untouched; only a lost database becomes StoreUnavailableException
  private static boolean isConnectionProblem(Throwable err) {
    return err instanceof io.vertx.core.VertxException || err instanceof java.io.IOException;
  }

  /** @return whether {@code consumer} has handled the event with this id */
  public Future<Boolean> handled(String consumer, java.util.UUID eventId) {
    return pool.preparedQuery("SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2")
        .execute(Tuple.of(consumer, eventId))
        .map(rows -> rows.size() == 1);
  }
}
