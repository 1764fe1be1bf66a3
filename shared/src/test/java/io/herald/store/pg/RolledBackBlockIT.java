package io.herald.store.pg;

import static io.herald.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.herald.store.AppendResult;
import io.herald.store.EventStore;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A block whose transaction rolled back leaves a hole that readers step over; a block still in flight behind that
 * hole keeps holding them back. The head's walk cannot see where a rolled-back block ends, so this is the case
 * where it falls back to the lock table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("PostgreSQL store: rolled-back blocks")
class RolledBackBlockIT {

  private final FreshSchema schema = new FreshSchema("store_rollback");
  private final EventFactory events = new EventFactory(BlueprintEvents.registry(), "/herald/test");
  private Vertx vertx;
  private PgEventStore store;
  private Pool raw;

  @BeforeAll
  void open() {
    vertx = Vertx.vertx();
    store = schema.connect(vertx, BlueprintEvents.registry());
    raw = PgBuilder.pool().connectingTo(schema.options().connectOptions()).using(vertx).build();
  }

  @AfterAll
  void close() {
    await(raw.close());
    await(store.close());
    await(vertx.close());
    schema.drop();
  }

  @Test
  @DisplayName("a rolled-back block is stepped over, a block in flight after it still holds readers back, then all is read in order")
  void rolledBackBlockIsSteppedOverButNotTheOneInFlightAfterIt() {
    SqlConnection rolledBack = await(raw.getConnection());
    SqlConnection inFlight = await(raw.getConnection());
    try {
      await(store.append(stream(), EventStore.NO_STREAM, List.of(event())));
      long start = await(store.headPosition()) + 1;
      await(rolledBack.query("BEGIN").execute());
      long hole = firstPosition(rolledBack, 3);
      await(inFlight.query("BEGIN").execute());
      long late = firstPosition(inFlight, 2);
      AppendResult quick = await(store.append(stream(), EventStore.NO_STREAM, List.of(event())));

      await(rolledBack.query("ROLLBACK").execute());

      assertThat(List.of(hole, late, quick.firstPosition())).containsExactly(start, start + 3, start + 5);
      assertThat(await(store.headPosition())).as("held back by the block in flight, past the hole").isEqualTo(late - 1);
      assertThat(await(store.readAll(start, 10)).events()).isEmpty();

      await(inFlight.query("COMMIT").execute());

      assertThat(await(store.headPosition())).isEqualTo(quick.firstPosition());
      assertThat(await(store.readAll(start, 10)).events()).extracting(RecordedEvent::position)
          .containsExactly(late, late + 1, quick.firstPosition());
    } finally {
      await(inFlight.close());
      await(rolledBack.close());
    }
  }

  private long firstPosition(SqlConnection conn, int count) {
    String stream = stream();
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < count; i++) {
      String sep = i == 0 ? "" : ",";
      ids.append(sep).append('\'').append(UUID.randomUUID()).append('\'');
    }
    String n = String.valueOf(count);
    String sql = "SELECT * FROM append_events(ARRAY['" + stream + "'], ARRAY[-1]::bigint[], ARRAY[" + n + "], ARRAY[0],"
        + " array_fill(1, ARRAY[" + n + "]), ARRAY[" + ids + "]::uuid[], array_fill('user.registered'::text, ARRAY[" + n + "]),"
        + " array_fill(1, ARRAY[" + n + "]), array_fill(now(), ARRAY[" + n + "]),"
        + " array_fill('{\"userId\":\"r\",\"email\":\"r@example.org\",\"username\":\"r\"}'::text, ARRAY[" + n + "]),"
        + " array_fill('{\"source\":\"x\",\"subject\":\"r\",\"aggregatetype\":\"user\",\"correlationid\":\"c\"}'::text, ARRAY[" + n + "]),"
        + " 'unused')";
    return await(conn.query(sql).execute()).iterator().next().getLong(2);
  }

  private io.herald.event.EventEnvelope event() {
    return events.create(new UserRegistered("q", "q@example.org", "q"));
  }

  private static String stream() {
    return "user-" + UUID.randomUUID();
  }
}
