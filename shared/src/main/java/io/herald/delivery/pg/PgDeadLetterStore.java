package io.herald.delivery.pg;

import io.herald.broker.RawMessage;
import io.herald.delivery.DeadLetter;
import io.herald.delivery.DeadLetterStore;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Dead letters in the store's schema ({@code dead_letters}, created by the store's migrations), shared by every node. */
public final class PgDeadLetterStore implements DeadLetterStore {

  private static final String COLUMNS = "seq, id, consumer, broker, destination, event_id, event_type, stream_id, position,"
      + " payload, headers, attempts, last_error, first_failed_at, last_failed_at, redrives";

  private final Pool pool;

  /** @param pool a pool whose connections use the store's schema (for example {@code PgEventStore.pool()}) */
  public PgDeadLetterStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<DeadLetter> add(DeadLetter l) {
    RawMessage m = l.message();
    return pool.preparedQuery("INSERT INTO dead_letters (id, consumer, broker, destination, event_id, event_type, stream_id,"
            + " position, payload, payload_text, headers, attempts, last_error, first_failed_at, last_failed_at, redrives)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
            + " ON CONFLICT (id) DO UPDATE SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,"
            + " last_failed_at = EXCLUDED.last_failed_at RETURNING seq")
        .execute(Tuple.from(new Object[] {l.id(), l.consumer(), l.broker(), m.destination(), l.eventId(), l.eventType(),
            l.streamId(), l.position() == 0 ? null : l.position(), m.payload(), m.payloadText(),
            new JsonObject(new LinkedHashMap<String, Object>(m.headers())), l.attempts(), l.lastError(),
            utc(l.firstFailedAt()), utc(l.lastFailedAt()), l.redrives()}))
        .map(rows -> l.withSeq(rows.iterator().next().getLong(0)))
        .recover(PgDeadLetterStore::unavailable);
  }

  @Override
  public Future<List<DeadLetter>> list(String consumer, long afterSeq, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM dead_letters WHERE seq > $1 AND ($2::text IS NULL OR consumer = $2)"
            + " ORDER BY seq LIMIT $3")
        .execute(Tuple.of(afterSeq, consumer, limit))
        .map(PgDeadLetterStore::letters)
        .recover(PgDeadLetterStore::unavailable);
  }

  @Override
  public Future<Optional<DeadLetter>> get(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM dead_letters WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> letters(rows).stream().findFirst())
        .recover(PgDeadLetterStore::unavailable);
  }

  @Override
  public Future<Boolean> delete(UUID id) {
    return pool.preparedQuery("DELETE FROM dead_letters WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1)
        .recover(PgDeadLetterStore::unavailable);
  }

  @Override
  public Future<Optional<DeadLetter>> redriveFailed(UUID id, String error) {
    return pool.preparedQuery("UPDATE dead_letters SET last_error = $2, last_failed_at = now(), redrives = redrives + 1"
            + " WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, error))
        .map(rows -> letters(rows).stream().findFirst())
        .recover(PgDeadLetterStore::unavailable);
  }

  private static List<DeadLetter> letters(RowSet<Row> rows) {
    List<DeadLetter> letters = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Map<String, String> headers = new LinkedHashMap<>();
      r.getJsonObject("headers").forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
      Buffer payload = r.getBuffer("payload");
      Long position = r.getLong("position");
      letters.add(new DeadLetter(r.getUUID("id"), r.getLong("seq"), r.getString("consumer"), r.getString("broker"),
          new RawMessage(payload, headers, r.getString("destination")), r.getUUID("event_id"), r.getString("event_type"),
          r.getString("stream_id"), position == null ? 0 : position, r.getInteger("attempts"), r.getString("last_error"),
          r.getOffsetDateTime("first_failed_at").toInstant(), r.getOffsetDateTime("last_failed_at").toInstant(),
          r.getInteger("redrives")));
    }
    return letters;
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static <T> Future<T> unavailable(Throwable err) {
    if (err instanceof PgException) {
      return Future.failedFuture(err);
    }
    return Future.failedFuture(new StoreUnavailableException("dead letters are unavailable: " + err.getMessage(), err));
  }
}
