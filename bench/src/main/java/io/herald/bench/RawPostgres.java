package io.herald.bench;

import io.herald.event.EventEnvelope;
import io.herald.event.EventJson;
import io.herald.store.pg.PgStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The baseline: what PostgreSQL and {@code vertx-pg-client} do with the same rows and no event store in between.
 * Plain {@code INSERT}s into a plain table with the event table's columns and indexes, one transaction per
 * statement (autocommit), positions and versions counted by the client; and plain keyset-paged reads of the
 * event table without decoding the JSON.
 */
final class RawPostgres {

  static final String TABLE = "raw_events";

  private static final String COLUMNS = "position, stream_id, version, event_id, type, schema_version, occurred_at, data, metadata";
  /** The columns Herald's reads select, in the same order and with the same casts. */
  private static final String READ_COLUMNS =
      "position, stream_id, version, event_id, type, schema_version, occurred_at, data::text, metadata::text";

  private final Vertx vertx;
  private final PgStoreOptions options;
  private long nextPosition = 1;

  RawPostgres(Vertx vertx, PgStoreOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** @return the table's DDL: the columns, keys and defaults of Herald's {@code events} table */
  String ddl() {
    return "CREATE TABLE " + options.schema() + "." + TABLE + " ("
        + " position bigint PRIMARY KEY,"
        + " stream_id text NOT NULL,"
        + " version bigint NOT NULL,"
        + " event_id uuid NOT NULL,"
        + " type text NOT NULL,"
        + " schema_version integer NOT NULL,"
        + " occurred_at timestamptz NOT NULL,"
        + " recorded_at timestamptz NOT NULL DEFAULT now(),"
        + " data jsonb NOT NULL,"
        + " metadata jsonb NOT NULL,"
        + " UNIQUE (stream_id, version),"
        + " UNIQUE (event_id))";
  }

  /** Continues positions after the rows already in the table. */
  Future<Void> startAfter(SqlClient client) {
    return client.query("SELECT coalesce(max(position), 0) FROM " + options.schema() + "." + TABLE).execute()
        .map(rs -> {
          nextPosition = rs.iterator().next().getLong(0) + 1;
          return null;
        });
  }

  /** @return a pool of {@code size} connections with the store's connect options (same schema, statement cache, pipelining) */
  Pool pool(int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName("bench-raw-" + size).setShared(false))
        .connectingTo(options.connectOptions())
        .using(vertx)
        .build();
  }

  /**
   * A client that inserts {@code rowsPerTransaction} rows of its own stream per statement, with the data and
   * metadata Herald would store for {@code template}. All writers of a run must share one event-loop context.
   */
  ClosedLoop.Client writer(Pool pool, String streamId, EventEnvelope template, int rowsPerTransaction) {
    String sql = insert(rowsPerTransaction);
    String data = new String(EventJson.toBytes(template.data()), StandardCharsets.UTF_8);
    String metadata = new JsonObject()
        .put("source", template.source())
        .put("subject", template.subject())
        .put("aggregatetype", template.aggregatetype())
        .put("correlationid", template.correlationid())
        .encode();
    long[] version = {0};
    return () -> {
      OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
      Tuple row = Tuple.tuple();
      for (int i = 0; i < rowsPerTransaction; i++) {
        row.addLong(nextPosition++)
            .addString(streamId)
            .addLong(++version[0])
            .addUUID(Payloads.randomId())
            .addString(template.type())
            .addInteger(template.schemaversion())
            .addOffsetDateTime(now)
            .addString(data)
            .addString(metadata);
      }
      return pool.preparedQuery(sql).execute(row).map(rs -> rowsPerTransaction);
    };
  }

  /** Copies Herald's events into the raw table, so both tables start the append cases at the same size. */
  Future<Void> copyFromEvents(SqlClient client) {
    String schema = options.schema();
    return client.query("INSERT INTO " + schema + "." + TABLE + " (" + COLUMNS + ") SELECT p.position, e.stream_id, e.version,"
            + " e.event_id, e.type, e.schema_version, e.occurred_at, e.data, e.metadata FROM " + schema + ".events e JOIN "
            + schema + ".positions p ON p.event_id = e.event_id").execute()
        .compose(v -> startAfter(client));
  }

  /**
   * Reads the raw table (a copy of Herald's events, one table with the position as key) from position 1 to
   * {@code head} in pages of {@code pageSize}, fetching every column but parsing no JSON.
   *
   * @return the number of rows read
   */
  Future<Long> readEvents(SqlClient client, long head, int pageSize) {
    String sql = "SELECT " + READ_COLUMNS + " FROM " + options.schema() + "." + TABLE + " WHERE position >= $1 ORDER BY position LIMIT $2";
    Promise<Long> done = Promise.promise();
    readPage(client, sql, 1, head, pageSize, 0, done);
    return done.future();
  }

  private void readPage(SqlClient client, String sql, long from, long head, int pageSize, long count, Promise<Long> done) {
    client.preparedQuery(sql).execute(Tuple.of(from, pageSize)).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      long read = count;
      long last = from - 1;
      long checksum = 0;
      for (Row row : ar.result()) {
        last = row.getLong(0);
        checksum += row.getString(1).length() + row.getLong(2) + row.getUUID(3).getLeastSignificantBits()
            + row.getString(4).length() + row.getInteger(5) + row.getOffsetDateTime(6).getNano()
            + row.getString(7).length() + row.getString(8).length();
        read++;
      }
      if (checksum == 42) {
        // keeps the column reads from being optimised away
        System.out.print("");
      }
      if (read == count || last >= head) {
        done.complete(read);
      } else {
        readPage(client, sql, last + 1, head, pageSize, read, done);
      }
    });
  }

  private String insert(int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(options.schema()).append('.').append(TABLE).append(" (").append(COLUMNS).append(") VALUES ");
    for (int r = 0; r < rows; r++) {
      int p = r * 9;
      sql.append(r == 0 ? "" : ", ")
          .append("($").append(p + 1).append(", $").append(p + 2).append(", $").append(p + 3).append(", $").append(p + 4)
          .append(", $").append(p + 5).append(", $").append(p + 6).append(", $").append(p + 7)
          .append(", $").append(p + 8).append("::text::jsonb, $").append(p + 9).append("::text::jsonb)");
    }
    return sql.toString();
  }
}
