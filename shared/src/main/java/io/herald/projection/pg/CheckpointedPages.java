package io.herald.projection.pg;

import io.herald.event.RecordedEvent;
import io.herald.projection.PageFailedException;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Objects;

/**
 * Commits a page's effects and its projection's checkpoint in one transaction, moving the checkpoint only forward
 * from where the page starts. A commit whose answer was lost (the connection dropped after COMMIT) leaves the
 * checkpoint already moved; when the runner hands the page over again, the move finds it elsewhere, the page's
 * effects are rolled back, and only the events after the stored checkpoint are applied. No event's effect is kept
 * twice, even when the effects are not idempotent.
 */
final class CheckpointedPages {

  /** A page's effects, inside the page's transaction. */
  @FunctionalInterface
  interface Effects {
    Future<Void> apply(SqlConnection tx, List<RecordedEvent> events);
  }

  /** {@code after} for a page whose predecessor is not known: the checkpoint moves if it is below the page. */
  static final long UNKNOWN = -1;

  private static final String MOVE = "UPDATE checkpoints SET position = $3, updated_at = now() WHERE name = $1 AND position = $2";
  private static final String MOVE_UP = "UPDATE checkpoints SET position = $3, updated_at = now() WHERE name = $1 AND position < $2";
  private static final String FIRST = "INSERT INTO checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
  private static final String STORED = "SELECT position FROM checkpoints WHERE name = $1";
  /** A rebuild empties the model at position 0 and raises the epoch, so no save from before it counts. */
  static final String RESET = "INSERT INTO checkpoints (name, position, epoch) VALUES ($1, 0, 1)"
      + " ON CONFLICT (name) DO UPDATE SET position = 0, epoch = checkpoints.epoch + 1, updated_at = now()";

  private final Pool pool;
  private final String name;
  private final Effects effects;

  CheckpointedPages(Pool pool, String name, Effects effects) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.name = Objects.requireNonNull(name, "name");
    this.effects = Objects.requireNonNull(effects, "effects");
  }

  /**
   * Applies {@code events} and moves the checkpoint from {@code after} (or {@link #UNKNOWN}) to the last event, in
   * one transaction.
   */
  Future<Void> commit(long after, List<RecordedEvent> events) {
    long first = events.get(0).position();
    long last = events.get(events.size() - 1).position();
    return pool.withTransaction(tx -> effects.apply(tx, events)
            .compose(v -> move(tx, after, first, last))
            .compose(moved -> moved ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(new NotMoved())))
        .recover(PgDocumentStore::unavailable)
        .recover(err -> err instanceof NotMoved ? catchUp(after, events) : Future.failedFuture(err));
  }

  /**
   * As {@link #commit}, and when the page fails for another reason than an unreachable store, applies its events
   * again one transaction each, so the projection stops exactly at the failing event.
   */
  Future<Void> commitOrFind(long after, List<RecordedEvent> events) {
    if (events.size() <= 1) {
      return each(after, events);
    }
    return commit(after, events)
        .recover(err -> err instanceof StoreUnavailableException ? Future.failedFuture(err) : each(after, events));
  }

  private Future<Void> each(long after, List<RecordedEvent> events) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < events.size(); i++) {
      RecordedEvent event = events.get(i);
      long before = i == 0 ? after : events.get(i - 1).position();
      long reported = before == UNKNOWN ? event.position() - 1 : before;
      chain = chain.compose(v -> commit(before, List.of(event))
          .recover(err -> Future.failedFuture(err instanceof PageFailedException ? err
              : new PageFailedException(reported, event.position(), err))));
    }
    return chain;
  }

  private Future<Boolean> move(SqlConnection tx, long after, long first, long last) {
    if (after == UNKNOWN) {
      return tx.preparedQuery(MOVE_UP).execute(Tuple.of(name, first, last))
          .compose(rs -> rs.rowCount() == 1 ? Future.succeededFuture(true) : insertFirst(tx, last));
    }
    return tx.preparedQuery(MOVE).execute(Tuple.of(name, after, last))
        .compose(rs -> rs.rowCount() == 1 ? Future.succeededFuture(true)
            : after == 0 ? insertFirst(tx, last) : Future.succeededFuture(false));
  }

  private Future<Boolean> insertFirst(SqlConnection tx, long last) {
    return tx.preparedQuery(FIRST).execute(Tuple.of(name, last)).map(rs -> rs.rowCount() == 1);
  }

  // the checkpoint was not where the page starts: an earlier attempt at (part of) this page did commit
  private Future<Void> catchUp(long after, List<RecordedEvent> events) {
    long last = events.get(events.size() - 1).position();
    return pool.preparedQuery(STORED).execute(Tuple.of(name))
        .recover(PgDocumentStore::unavailable)
        .compose(rs -> {
          long stored = rs.size() == 0 ? 0 : rs.iterator().next().getLong(0);
          if (stored >= last) {
            return Future.succeededFuture();   // applied already, the rolled-back attempt changed nothing
          }
          List<RecordedEvent> rest = events.stream().filter(e -> e.position() > stored).toList();
          if (stored > after && stored >= events.get(0).position() && !rest.isEmpty()) {
            return commit(stored, rest);
          }
          return Future.failedFuture(new IllegalStateException("projection '" + name + "' expected its checkpoint at "
              + (after == UNKNOWN ? "a position below " + events.get(0).position() : after) + " but found " + stored
              + ": another writer moves it (a second runner of the same projection, or a rebuild)"));
        });
  }

  Future<Void> reset(SqlConnection tx) {
    return tx.preparedQuery(RESET).execute(Tuple.of(name)).mapEmpty();
  }

  /** The checkpoint was not where the page starts; the transaction is rolled back. */
  private static final class NotMoved extends RuntimeException {
    NotMoved() {
      super(null, null, false, false);
    }
  }
}
