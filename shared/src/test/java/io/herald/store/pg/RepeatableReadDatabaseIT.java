package io.herald.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.domain.BlueprintEvents;
import io.herald.store.EventStore;
import io.herald.store.EventStoreContract;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The store's contract, held-commit test included, on a database whose default isolation is REPEATABLE READ: gap
 * safety needs READ COMMITTED, so the store must pin it rather than inherit the database's default. The database is
 * created for this class and dropped after it; the shared {@code test} database keeps its settings.
 */
@DisplayName("PostgreSQL event store on a database whose default isolation is REPEATABLE READ")
class RepeatableReadDatabaseIT extends EventStoreContract {

  private final String database = "herald_rr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private PgStoreOptions options;

  @Override
  protected EventStore openStore(Vertx vertx) {
    admin(vertx, "CREATE DATABASE " + database);
    admin(vertx, "ALTER DATABASE " + database + " SET default_transaction_isolation = 'repeatable read'");
    PgStoreOptions defaults = PgTestDatabase.freshSchema("store_rr");
    options = new PgStoreOptions(defaults.host(), defaults.port(), database, defaults.user(), defaults.password(),
        defaults.schema(), defaults.poolSize(), defaults.appendBatchMax(), defaults.readBatchSize(), defaults.pollIntervalMs());
    return await(PgEventStore.connect(vertx, options, BlueprintEvents.registry()));
  }

  @AfterAll
  void dropDatabase() {
    await(store.close());   // before the database goes, so that nothing reconnects to it
    store = null;
    Vertx admin = Vertx.vertx();
    try {
      admin(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } finally {
      await(admin.close());
    }
  }

  @Test
  @DisplayName("the database's default is REPEATABLE READ, the store's sessions run READ COMMITTED")
  void storeSessionsPinReadCommitted() {
    assertThat(isolationOf(unpinned())).isEqualTo("repeatable read");
    assertThat(isolationOf(options.connectOptions())).isEqualTo("read committed");
    assertThat(await(((PgEventStore) store).pool().query("SHOW transaction_isolation").execute()).iterator().next().getString(0))
        .isEqualTo("read committed");
  }

  @Test
  @DisplayName("a late commit holds readers back: nothing after its position is delivered until it commits, then both in order")
  void lateCommitIsNeverSkipped() {
    PgEventStoreIT.lateCommitIsNeverSkipped(vertx, store, options);
  }

  @Test
  @DisplayName("read_all() under a snapshot older than a late commit refuses to answer instead of skipping the late event")
  void olderSnapshotIsRefused() {
    Pool raw = PgBuilder.pool().connectingTo(unpinned()).using(vertx).build();
    SqlConnection slow = await(raw.getConnection());
    SqlConnection reader = await(raw.getConnection());
    try {
      await(slow.query("BEGIN").execute());
      long late = await(slow.query(append("late")).execute()).iterator().next().getLong(2);
      var quick = await(store.append(stream("quick"), EventStore.NO_STREAM, List.of(userRegistered("q"))));
      await(reader.query("BEGIN").execute());                          // the database's default: REPEATABLE READ
      await(reader.query("SELECT count(*) FROM positions").execute());  // its snapshot: the late event not yet committed
      await(slow.query("COMMIT").execute());

      Throwable failure = failureOf(reader.query("SELECT r_position FROM read_all(" + late + ", 10)").execute());

      assertThat(failure).isInstanceOf(PgException.class)
          .hasMessageContaining("read_all() needs READ COMMITTED, this transaction runs REPEATABLE READ");
      assertThat(await(store.readAll(late, 10)).events()).extracting(e -> e.position())
          .containsExactly(late, quick.firstPosition());
    } finally {
      await(reader.close());
      await(slow.close());
      await(raw.close());
    }
  }

  // the store's connection options without the pinned isolation: what a session gets from the database's default
  private PgConnectOptions unpinned() {
    PgConnectOptions connect = options.connectOptions();
    Map<String, String> properties = new HashMap<>(connect.getProperties());
    properties.remove("default_transaction_isolation");
    return connect.setProperties(properties);
  }

  private String isolationOf(PgConnectOptions connect) {
    Pool pool = PgBuilder.pool().connectingTo(connect).using(vertx).build();
    try {
      return await(pool.query("SHOW transaction_isolation").execute()).iterator().next().getString(0);
    } finally {
      await(pool.close());
    }
  }

  private static String append(String name) {
    String id = UUID.randomUUID().toString();
    return "SELECT * FROM append_events(ARRAY['user-" + name + "-" + id + "'], ARRAY[-1]::bigint[], ARRAY[1], ARRAY[0], ARRAY[1],"
        + " ARRAY['" + id + "']::uuid[], ARRAY['user.registered'], ARRAY[1], ARRAY[now()],"
        + " ARRAY['{\"userId\":\"" + name + "\",\"email\":\"" + name + "@example.org\",\"username\":\"" + name + "\"}'],"
        + " ARRAY['{\"source\":\"x\",\"subject\":\"" + name + "\",\"aggregatetype\":\"user\",\"correlationid\":\"c\"}'], 'unused')";
  }

  private static void admin(Vertx vertx, String sql) {
    Pool admin = PgBuilder.pool().connectingTo(PgStoreOptions.defaults().withSchema("public").connectOptions()).using(vertx).build();
    try {
      await(admin.query(sql).execute());
    } finally {
      await(admin.close());
    }
  }
}
