package io.herald.store.pg;

import static io.herald.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.domain.BlueprintEvents;
import io.herald.store.EventStore;
import io.herald.event.EventFactory;
import io.herald.event.domain.UserRegistered;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
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
 * The store's allocation lock is a session-level advisory lock: a statement cancelled while holding it (statement
 * timeout, {@code pg_cancel_backend}) must still release it, or the pooled session keeps it and appends stall.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("PostgreSQL store allocation lock under cancellation")
class AllocationLockCancelIT {

  private static final int ITERATIONS = 3_000;

  private final FreshSchema schema = new FreshSchema("store_cancel");
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
  @DisplayName("safe_head() and append_events() cancelled by a 1 ms statement timeout, many times, leave no allocation lock held")
  void cancelledStatementsReleaseTheAllocationLock() {
    // other sessions' locks make pg_locks longer to read, so more cancels land inside the locked section
    SqlConnection crowd = await(raw.getConnection());
    SqlConnection victim = await(raw.getConnection());
    try {
      await(crowd.query("BEGIN").execute());
      await(crowd.query("SELECT pg_advisory_xact_lock_shared(2, g) FROM generate_series(1, 2000) g").execute());
      await(victim.query("SET statement_timeout = '1ms'").execute());
      int cancelled = 0;
      for (int i = 0; i < ITERATIONS; i++) {
        String sql = i % 2 == 0 ? "SELECT safe_head()" : append(UUID.randomUUID());
        try {
          await(victim.query(sql).execute());
        } catch (PgException e) {
          assertThat(e.getSqlState()).as("only cancellations are expected: %s", e.getMessage()).isEqualTo("57014");
          cancelled++;
        }
      }
      await(victim.query("SET statement_timeout = 0").execute());
      await(crowd.query("ROLLBACK").execute());

      assertThat(cancelled).as("statements cancelled by the timeout").isPositive();
      assertThat(allocationLocksHeld()).as("sessions holding the store's allocation lock").isZero();
      // an append needs the lock exclusively: it completes
      assertThat(await(store.append("cancel-" + UUID.randomUUID(), EventStore.NO_STREAM,
          List.of(new EventFactory(BlueprintEvents.registry(), "/herald/test").create(new UserRegistered("c", "c@example.org", "c"))))).firstPosition()).isPositive();
    } finally {
      await(victim.close());
      await(crowd.close());
    }
  }

  private long allocationLocksHeld() {
    return await(raw.query("SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.objid = 1"
        + " AND l.classid::bigint = (hashtext('" + schema.options().schema() + "')::bigint & 4294967295)"
        + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())").execute())
        .iterator().next().getLong(0);
  }

  private static String append(UUID id) {
    return "SELECT * FROM append_events(ARRAY['cancel-" + id + "'], ARRAY[-1]::bigint[], ARRAY[1], ARRAY[0], ARRAY[1],"
        + " ARRAY['" + id + "']::uuid[], ARRAY['user.registered'], ARRAY[1], ARRAY[now()],"
        + " ARRAY['{\"userId\":\"c\",\"email\":\"c@example.org\",\"username\":\"c\"}'],"
        + " ARRAY['{\"source\":\"x\",\"subject\":\"c\",\"aggregatetype\":\"user\",\"correlationid\":\"c\"}'], 'unused')";
  }
}
