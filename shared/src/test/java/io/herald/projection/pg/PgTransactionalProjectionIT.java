package io.herald.projection.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.EventFactory;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.herald.projection.ProjectionOptions;
import io.herald.projection.ProjectionRunner;
import io.herald.store.AppendResult;
import io.herald.store.EventStore;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.herald.store.pg.PgTestDatabase;
import io.herald.testing.CommitCuttingProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("A transactional PostgreSQL projection")
class PgTransactionalProjectionIT {

  private static final EventFactory EVENTS = new EventFactory(BlueprintEvents.registry(), "/test/users");

  // deliberately not idempotent: a second application of an event shows up as applied = 2
  private static PgTransactionalProjection emails(PgEventStore store) {
    return new PgTransactionalProjection(store.pool(), "emails",
        (tx, event) -> event.data() instanceof UserRegistered u
            ? tx.preparedQuery("INSERT INTO user_emails (user_id, email, applied) VALUES ($1, $2, 1)"
                + " ON CONFLICT (user_id) DO UPDATE SET applied = user_emails.applied + 1")
            .execute(Tuple.of(u.userId(), u.email())).mapEmpty()
            : Future.succeededFuture(),
        tx -> tx.query("DELETE FROM user_emails").execute().mapEmpty());
  }

  private static ProjectionRunner runner(Vertx vertx, PgEventStore store) {
    // the runner's own checkpoint saves are kept rare, so only the transactional ones count
    return new ProjectionRunner(vertx, store, store.checkpoints(), "emails", emails(store), new ProjectionOptions(100_000, 3_600_000));
  }

  private static void waitFor(PgEventStore store, long position, ProjectionRunner runner) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (runner.checkpoint() < position) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("projection did not reach " + position);
      }
      Thread.sleep(10);
    }
  }

  @Test
  @DisplayName("after a crash it resumes exactly after the last applied event: no event is applied twice")
  void crashResumesWithoutReprocessing() throws Exception {
    PgStoreOptions options = PgTestDatabase.freshSchema("txprojection_it");
    Vertx admin = Vertx.vertx();
    try {
      PgEventStore setup = PgEventStore.connect(admin, options, BlueprintEvents.registry()).await();
      setup.pool().query("CREATE TABLE user_emails (user_id text PRIMARY KEY, email text NOT NULL, applied int NOT NULL)")
          .execute().await();
      AppendResult first = setup.append("users-a", EventStore.NO_STREAM, users("a", 30)).await();

      Vertx doomed = Vertx.vertx();
      PgEventStore store = PgEventStore.connect(doomed, options, BlueprintEvents.registry()).await();
      ProjectionRunner crashing = runner(doomed, store);
      crashing.start().await();
      waitFor(store, first.lastPosition(), crashing);
      doomed.close().await(10, TimeUnit.SECONDS);   // no stop(): the runner never saves its checkpoint itself

      AppendResult second = setup.append("users-b", EventStore.NO_STREAM, users("b", 10)).await();
      Vertx fresh = Vertx.vertx();
      try {
        PgEventStore again = PgEventStore.connect(fresh, options, BlueprintEvents.registry()).await();
        ProjectionRunner resumed = runner(fresh, again);
        resumed.start().await();
        waitFor(again, second.lastPosition(), resumed);
        resumed.stop().await();

        List<Integer> applied = new ArrayList<>();
        for (Row row : again.pool().query("SELECT applied FROM user_emails").execute().await()) {
          applied.add(row.getInteger(0));
        }
        assertThat(applied).hasSize(40).containsOnly(1);
        again.close().await();
      } finally {
        fresh.close().await();
      }
      setup.close().await();
    } finally {
      PgTestDatabase.drop(admin, options);
      admin.close().await();
    }
  }

  @Test
  @DisplayName("a page whose commit went through while its answer was lost is not applied again: each event counts once")
  void ambiguousCommitAppliesNothingTwice() throws Exception {
    PgStoreOptions options = PgTestDatabase.freshSchema("txambiguous_it");
    Vertx vertx = Vertx.vertx();
    CommitCuttingProxy proxy = CommitCuttingProxy.start(vertx, options.host(), options.port()).await();
    try {
      PgEventStore setup = PgEventStore.connect(vertx, options, BlueprintEvents.registry()).await();
      // a counter read model: applying an event twice counts it twice
      setup.pool().query("CREATE TABLE user_count (id int PRIMARY KEY, total int NOT NULL)").execute().await();
      setup.pool().query("INSERT INTO user_count VALUES (1, 0)").execute().await();
      AppendResult first = setup.append("users-a", EventStore.NO_STREAM, users("a", 30)).await();

      PgStoreOptions viaProxy = new PgStoreOptions("127.0.0.1", proxy.port(), options.database(), options.user(),
          options.password(), options.schema(), options.poolSize(), options.appendBatchMax(), options.readBatchSize(),
          options.pollIntervalMs());
      PgEventStore store = PgEventStore.connect(vertx, viaProxy, BlueprintEvents.registry()).await();
      PgTransactionalProjection counter = new PgTransactionalProjection(store.pool(), "user-count",
          (tx, event) -> tx.query("UPDATE user_count SET total = total + 1 WHERE id = 1").execute().mapEmpty(),
          tx -> tx.query("UPDATE user_count SET total = 0").execute().mapEmpty());
      ProjectionRunner runner = new ProjectionRunner(vertx, store, store.checkpoints(), "user-count", counter,
          new ProjectionOptions(100_000, 3_600_000));
      proxy.armCommitCut();   // the page's commit: the server commits it, the runner sees its connection fail
      runner.start().await();
      waitFor(store, first.lastPosition(), runner);
      assertThat(proxy.cuts()).as("the page's commit was cut after the server committed it").isEqualTo(1);
      assertThat(total(setup)).isEqualTo(30);

      AppendResult second = setup.append("users-b", EventStore.NO_STREAM, users("b", 10)).await();
      waitFor(store, second.lastPosition(), runner);
      runner.stop().await();

      assertThat(total(setup)).as("each event counted once").isEqualTo(40);
      assertThat(setup.checkpoints().load("user-count").await()).isEqualTo(second.lastPosition());
      store.close().await();
      setup.close().await();
    } finally {
      proxy.close().await();
      PgTestDatabase.drop(vertx, options);
      vertx.close().await();
    }
  }

  private static int total(PgEventStore store) {
    return store.pool().query("SELECT total FROM user_count WHERE id = 1").execute().await().iterator().next().getInteger(0);
  }

  private static List<io.herald.event.EventEnvelope> users(String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> EVENTS.create(new UserRegistered(prefix + i, prefix + i + "@example.org", prefix)))
        .toList();
  }
}
