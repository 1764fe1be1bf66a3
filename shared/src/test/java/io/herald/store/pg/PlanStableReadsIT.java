package io.herald.store.pg;

import static io.herald.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a read costs must not depend on table statistics: a fresh schema has none (and a server with autovacuum off
 * never gets any), and a join left to the planner then read a reader's whole backlog for one page, or every position
 * for one stream. Each test counts, in the reading transaction's own statistics ({@code pg_stat_xact_user_tables}),
 * the rows the read fetched from each table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("PostgreSQL store: reads whose cost does not depend on table statistics")
class PlanStableReadsIT {

  private static final int BACKLOG_APPENDS = 400;
  private static final int EVENTS_PER_APPEND = 10;

  private final FreshSchema schema = new FreshSchema("store_plans");
  private final EventFactory events = new EventFactory(BlueprintEvents.registry(), "/herald/test");
  private Vertx vertx;
  private PgEventStore store;
  private Pool raw;
  private String lastStream;

  @BeforeAll
  void open() {
    vertx = Vertx.vertx();
    store = schema.connect(vertx, BlueprintEvents.registry());
    raw = PgBuilder.pool().connectingTo(schema.options().connectOptions()).using(vertx).build();
    List<Future<?>> appends = new ArrayList<>();
    for (int a = 0; a < BACKLOG_APPENDS; a++) {
      lastStream = "user-" + UUID.randomUUID();
      List<EventEnvelope> batch = new ArrayList<>();
      for (int i = 0; i < EVENTS_PER_APPEND; i++) {
        batch.add(events.create(new UserRegistered("p" + i, "p" + i + "@example.org", "p" + i)));
      }
      appends.add(store.append(lastStream, EventStore.NO_STREAM, batch));
    }
    await(Future.all(appends));
    await(store.headPosition());   // settles the head, so the reads below do not walk up to it
  }

  @AfterAll
  void close() {
    await(raw.close());
    await(store.close());
    await(vertx.close());
    schema.drop();
  }

  @Test
  @DisplayName("a page of read_all() fetches about a page of positions and events, not the reader's whole backlog")
  void pageCostsAPageWhateverTheBacklog() {
    JsonObject fetched = inOneTransaction(conn -> conn.preparedQuery("SELECT count(*) FROM read_all($1, $2)")
        .execute(Tuple.of(1L, 20)).map(rows -> rows.iterator().next().getLong(0)));

    assertThat(fetched.getLong("result")).as("events on the page").isEqualTo(20);
    assertThat(fetched.getLong("positions")).as("positions rows fetched, behind %d events", BACKLOG_APPENDS * EVENTS_PER_APPEND)
        .isLessThanOrEqualTo(40);
    assertThat(fetched.getLong("events")).as("events rows fetched").isLessThanOrEqualTo(40);
  }

  @Test
  @DisplayName("reading one stream fetches that stream's events and their positions, not every position")
  void oneStreamCostsItsEvents() {
    JsonObject fetched = inOneTransaction(conn -> conn.preparedQuery("SELECT count(*) FROM (SELECT " + EventRows.COLUMNS
            + EventRows.FROM + " WHERE e.stream_id = $1 AND e.version >= $2 ORDER BY e.version) s")
        .execute(Tuple.of(lastStream, 1L)).map(rows -> rows.iterator().next().getLong(0)));

    assertThat(fetched.getLong("result")).as("events of the stream").isEqualTo(EVENTS_PER_APPEND);
    assertThat(fetched.getLong("positions")).as("positions rows fetched").isLessThanOrEqualTo(EVENTS_PER_APPEND);
    assertThat(fetched.getLong("events")).as("events rows fetched").isLessThanOrEqualTo(EVENTS_PER_APPEND);
  }

  /**
   * Runs {@code read} in a transaction and answers its result with the rows it fetched from each table: the
   * difference of the backend's pending table statistics around it (they may still hold earlier transactions' counts).
   */
  private JsonObject inOneTransaction(java.util.function.Function<SqlConnection, Future<Long>> read) {
    return await(raw.withTransaction(conn -> fetchedRows(conn).compose(before -> read.apply(conn)
        .compose(result -> fetchedRows(conn).map(after -> new JsonObject().put("result", result)
            .put("events", after.getLong("events", 0L) - before.getLong("events", 0L))
            .put("positions", after.getLong("positions", 0L) - before.getLong("positions", 0L)))))));
  }

  private static Future<JsonObject> fetchedRows(SqlConnection conn) {
    return conn.query("SELECT relname, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables"
            + " WHERE schemaname = current_schema() AND relname IN ('events', 'positions')").execute()
        .map(rows -> {
          JsonObject counts = new JsonObject();
          for (Row row : rows) {
            counts.put(row.getString(0), row.getLong(1));
          }
          return counts;
        });
  }
}
