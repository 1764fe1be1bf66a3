package io.herald.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.DomainEvent;
import io.herald.event.EventRegistry;
import io.herald.event.EventType;
import io.herald.event.RecordedEvent;
import io.herald.event.UnknownEventTypeException;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.herald.store.AppendResult;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.herald.store.EventStoreContract;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PostgreSQL event store")
class PgEventStoreIT extends EventStoreContract {

  private final FreshSchema schema = new FreshSchema("store_it");
  private final PgStoreOptions options = schema.options();

  @Override
  protected EventStore openStore(Vertx vertx) {
    return schema.connect(vertx, BlueprintEvents.registry());
  }

  @AfterAll
  void dropSchema() {
    schema.drop();
  }

  @EventType(value = "test.renamed", aggregate = "test", version = 2)
  record Renamed(String id, String fullName) implements DomainEvent {
    @Override
    public String aggregateId() {
      return id;
    }
  }

  @Test
  @DisplayName("a stored event of an unknown type fails the read with an error naming the type")
  void unknownTypeOnRead() {
    PgStoreOptions own = PgTestDatabase.freshSchema("store_unknown");
    PgEventStore other = await(PgEventStore.connect(vertx, own, BlueprintEvents.registry()));
    try {
      PgTestDatabase.execute(vertx, own, "INSERT INTO events (stream_id, version, event_id, type, schema_version,"
          + " occurred_at, data, metadata) VALUES ('s-1', 1, '00000000-0000-7000-8000-000000000001', 'user.teleported', 1, now(), '{}',"
          + " '{\"source\":\"x\",\"subject\":\"1\",\"aggregatetype\":\"user\",\"correlationid\":\"c\"}');"
          + " INSERT INTO positions VALUES (1, '00000000-0000-7000-8000-000000000001');"
          + " SELECT setval('allocated_positions_seq', 1)");

      Throwable failure = failureOf(other.readAll(1, 10));

      assertThat(failure).isInstanceOf(UnknownEventTypeException.class).hasMessageContaining("'user.teleported'");
    } finally {
      await(other.close());
      PgTestDatabase.drop(vertx, own);
    }
  }

  @Test
  @DisplayName("events read again are not decoded again; a row with another event at a known position is")
  void decodesEachEventOnce() {
    PgStoreOptions own = PgTestDatabase.freshSchema("store_decoded");
    PgEventStore other = await(PgEventStore.connect(vertx, own, BlueprintEvents.registry()));
    try {
      String stream = stream("user");
      await(other.append(stream, 0, List.of(userRegistered("u-1"), userRegistered("u-2"))));
      List<RecordedEvent> first = await(other.readAll(1, 10)).events();
      List<RecordedEvent> again = await(other.readAll(1, 10)).events();
      List<RecordedEvent> fromStream = await(other.readStream(stream, 0));
      assertThat(first).hasSize(2);
      for (int i = 0; i < 2; i++) {
        assertThat(again.get(i)).as("read again").isSameAs(first.get(i));
        assertThat(fromStream.get(i)).as("read by stream").isSameAs(first.get(i));
      }

      // the row at position 1 now holds another event (a store emptied and written again under a running node)
      PgTestDatabase.execute(vertx, own, "DELETE FROM positions WHERE position = 1;"
          + " UPDATE events SET event_id = '00000000-0000-7000-8000-0000000000aa',"
          + " data = jsonb_set(data::jsonb, '{username}', '\"renamed\"')::json WHERE event_id = '" + first.get(0).envelope().id() + "';"
          + " INSERT INTO positions VALUES (1, '00000000-0000-7000-8000-0000000000aa')");
      RecordedEvent replaced = await(other.readAll(1, 1)).events().get(0);
      assertThat(replaced).isNotSameAs(first.get(0));
      assertThat(replaced.envelope().id()).hasToString("00000000-0000-7000-8000-0000000000aa");
      assertThat(replaced.data()).isEqualTo(new UserRegistered(
          ((UserRegistered) first.get(0).data()).userId(), ((UserRegistered) first.get(0).data()).email(), "renamed"));
    } finally {
      await(other.close());
      PgTestDatabase.drop(vertx, own);
    }
  }

  @Test
  @DisplayName("an event stored at an older schema version is upcast on read")
  void upcastOnRead() {
    EventRegistry registry = EventRegistry.builder().include(BlueprintEvents.registry())
        .register(Renamed.class)
        .upcaster("test.renamed", 1, data -> data.put("fullName", data.getString("first") + " " + data.getString("last")))
        .build();
    PgStoreOptions own = PgTestDatabase.freshSchema("store_upcast");
    PgEventStore other = await(PgEventStore.connect(vertx, own, registry));
    try {
      PgTestDatabase.execute(vertx, own, "INSERT INTO events (stream_id, version, event_id, type, schema_version,"
          + " occurred_at, data, metadata) VALUES ('test-1', 1, '00000000-0000-7000-8000-000000000002', 'test.renamed', 1, now(),"
          + " '{\"id\":\"1\",\"first\":\"Ada\",\"last\":\"Lovelace\"}',"
          + " '{\"source\":\"x\",\"subject\":\"1\",\"aggregatetype\":\"test\",\"correlationid\":\"c\"}');"
          + " INSERT INTO positions VALUES (1, '00000000-0000-7000-8000-000000000002');"
          + " SELECT setval('allocated_positions_seq', 1)");

      RecordedEvent event = await(other.readStream("test-1", 1)).get(0);

      assertThat(event.data()).isEqualTo(new Renamed("1", "Ada Lovelace"));
      assertThat(event.envelope().schemaversion()).isEqualTo(2);
    } finally {
      await(other.close());
      PgTestDatabase.drop(vertx, own);
    }
  }

  @Test
  @DisplayName("two store instances (as two processes) appending at once still give a subscriber every event in order")
  void twoProcessesShareOneGapFreeOrder() {
    PgEventStore second = await(PgEventStore.connect(vertx, options, BlueprintEvents.registry()));
    try {
      long start = await(store.headPosition()) + 1;
      List<Long> seen = Collections.synchronizedList(new ArrayList<>());
      var subscription = second.subscribe(start, e -> {
        seen.add(e.position());
        return Future.succeededFuture();
      });
      List<Future<?>> appends = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        EventStore target = i % 2 == 0 ? store : second;
        appends.add(target.append(stream("proc"), EventStore.NO_STREAM, List.of(userRegistered("x"), userRegistered("x"))));
      }
      await(Future.all(appends));
      waitUntil(() -> seen.size() >= 600);
      await(subscription.close());

      assertThat(seen).hasSize(600).isSorted().doesNotHaveDuplicates();
      assertThat(seen.get(599) - seen.get(0)).isEqualTo(599);   // contiguous: nothing skipped (no block was rolled back)
    } finally {
      await(second.close());
    }
  }

  @Test
  @DisplayName("a commit wakes the subscriptions of its own store and of another store on the schema at once, not at their next poll")
  void commitsWakeSubscriptionsWithoutPolling() {
    // polls far apart: within the test's wait only a wake-up can deliver
    PgStoreOptions slowPoll = PgStoreOptions.fromJson(options.toJson().put("pollIntervalMs", 600_000));
    PgEventStore here = await(PgEventStore.connect(vertx, slowPoll, BlueprintEvents.registry()));
    PgEventStore there = await(PgEventStore.connect(vertx, slowPoll, BlueprintEvents.registry()));
    try {
      long start = await(here.headPosition()) + 1;
      List<String> seenHere = Collections.synchronizedList(new ArrayList<>());
      List<String> seenThere = Collections.synchronizedList(new ArrayList<>());
      var subHere = here.subscribe(start, e -> {
        seenHere.add(e.streamId());
        return Future.succeededFuture();
      });
      var subThere = there.subscribe(start, e -> {
        seenThere.add(e.streamId());
        return Future.succeededFuture();
      });
      // the first event may come with a subscription's first read; after it both are caught up and waiting
      String first = stream("wake-first");
      await(here.append(first, EventStore.NO_STREAM, List.of(userRegistered("w"))));
      waitUntil(() -> seenHere.contains(first) && seenThere.contains(first));

      String fromHere = stream("wake-here");
      await(here.append(fromHere, EventStore.NO_STREAM, List.of(userRegistered("w"))));
      waitUntil(() -> seenHere.contains(fromHere) && seenThere.contains(fromHere));
      String fromThere = stream("wake-there");
      await(there.append(fromThere, EventStore.NO_STREAM, List.of(userRegistered("w"))));
      waitUntil(() -> seenHere.contains(fromThere) && seenThere.contains(fromThere));

      assertThat(seenHere).containsExactly(first, fromHere, fromThere);
      assertThat(seenThere).containsExactly(first, fromHere, fromThere);
      await(subHere.close());
      await(subThere.close());
    } finally {
      await(here.close());
      await(there.close());
    }
  }

  @Test
  @DisplayName("appends from several event loops at once are each answered on their own event loop, versions in order, no position twice")
  void appendsFromManyContexts() {
    int loops = 4;
    int appendsPerLoop = 25;
    String shared = stream("shared");
    List<Context> contexts = new ArrayList<>();
    for (int l = 0; l < loops; l++) {
      EventLoop loop = new EventLoop();
      await(vertx.deployVerticle(loop));
      contexts.add(loop.context());
    }
    List<AppendResult> results = Collections.synchronizedList(new ArrayList<>());
    List<String> wrongContext = Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> done = new ArrayList<>();
    for (Context context : contexts) {
      Promise<Void> loopDone = Promise.promise();
      done.add(loopDone.future());
      String own = stream("own");
      context.runOnContext(v -> appendInTurn(context, own, shared, 0, appendsPerLoop, results, wrongContext, loopDone));
    }
    await(Future.all(done));

    assertThat(wrongContext).isEmpty();
    assertThat(results).hasSize(loops * appendsPerLoop * 2);
    assertThat(results.stream().map(AppendResult::firstPosition)).doesNotHaveDuplicates();
    assertThat(results.stream().filter(r -> r.streamId().equals(shared)).map(AppendResult::nextVersion))
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, loops * appendsPerLoop).mapToObj(Long::valueOf).toList());
    assertThat(await(store.readStream(shared, 1))).extracting(RecordedEvent::position).isSorted().hasSize(loops * appendsPerLoop);
  }

  // one append to its own stream (expected version) and one to the shared stream (any version) at a time
  private void appendInTurn(Context context, String own, String shared, int done, int total, List<AppendResult> results,
                            List<String> wrongContext, Promise<Void> finished) {
    if (done == total) {
      finished.complete();
      return;
    }
    Future<AppendResult> mine = store.append(own, done, List.of(userRegistered("m")));
    Future<AppendResult> any = store.append(shared, EventStore.ANY_VERSION, List.of(userRegistered("s")));
    for (Future<AppendResult> f : List.of(mine, any)) {
      f.onSuccess(r -> {
        if (Vertx.currentContext() != context) {
          wrongContext.add(r.streamId() + " answered on " + Thread.currentThread().getName());
        }
      });
    }
    Future.all(mine, any).onComplete(ar -> {
      if (ar.failed()) {
        finished.fail(ar.cause());
        return;
      }
      results.add(mine.result());
      results.add(any.result());
      appendInTurn(context, own, shared, done + 1, total, results, wrongContext, finished);
    });
  }

  /** A verticle only for its own event-loop context. */
  private static final class EventLoop extends VerticleBase {
    Context context() {
      return context;
    }
  }

  @Test
  @DisplayName("append_events keeps generic plans, so a one-event append is not planned anew on every call")
  void appendPlansAreGeneric() {
    Pool pool = ((PgEventStore) store).pool();
    Row row = await(pool.query("SELECT array_to_string(proconfig, ',') FROM pg_proc WHERE proname = 'append_events'"
        + " AND pronamespace = current_schema()::regnamespace").execute()).iterator().next();

    assertThat(row.getString(0)).isEqualTo("plan_cache_mode=force_generic_plan");
  }

  @Test
  @DisplayName("a late commit holds readers back: nothing after its position is delivered until it commits, then both in order")
  void lateCommitIsNeverSkipped() {
    lateCommitIsNeverSkipped(vertx, store, options);
  }

  /** The held-commit scenario, for any store on PostgreSQL (also run on a database whose default isolation differs). */
  static void lateCommitIsNeverSkipped(Vertx vertx, EventStore store, PgStoreOptions options) {
    io.vertx.sqlclient.Pool raw = io.vertx.pgclient.PgBuilder.pool().connectingTo(options.connectOptions()).using(vertx).build();
    io.vertx.sqlclient.SqlConnection slow = await(raw.getConnection());
    try {
      String lateId = "00000000-0000-7000-8000-" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L);
      await(slow.query("BEGIN").execute());
      // the slow writer takes its position first, then does not commit yet
      io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> slowAppend = await(slow.query("SELECT * FROM append_events("
          + "ARRAY['user-late-" + lateId + "'], ARRAY[-1]::bigint[], ARRAY[1], ARRAY[0], ARRAY[1], ARRAY['" + lateId + "']::uuid[],"
          + " ARRAY['user.registered'], ARRAY[1], ARRAY[now()],"
          + " ARRAY['{\"userId\":\"late\",\"email\":\"late@example.org\",\"username\":\"late\"}'],"
          + " ARRAY['{\"source\":\"x\",\"subject\":\"late\",\"aggregatetype\":\"user\",\"correlationid\":\"c\"}'],"
          + " 'unused')").execute());
      long latePosition = slowAppend.iterator().next().getLong(2);
      List<Long> seen = Collections.synchronizedList(new ArrayList<>());
      var subscription = store.subscribe(latePosition, e -> {
        seen.add(e.position());
        return Future.succeededFuture();
      });

      var quick = await(store.append(stream("quick"), EventStore.NO_STREAM, List.of(userRegistered("q"))));

      assertThat(quick.firstPosition()).isGreaterThan(latePosition);
      assertThat(await(store.readAll(latePosition, 10)).events()).as("nothing readable past the uncommitted position").isEmpty();
      assertThat(await(store.headPosition())).isEqualTo(latePosition - 1);
      sleepQuietly(300);
      assertThat(seen).as("the subscriber waits for the late commit").isEmpty();

      await(slow.query("COMMIT").execute());
      waitUntil(() -> seen.size() >= 2);
      await(subscription.close());

      assertThat(seen).containsExactly(latePosition, quick.firstPosition());
    } finally {
      await(slow.close());
      await(raw.close());
    }
  }

  @Test
  @DisplayName("another schema's uncommitted block does not hold this store's head back; this store's own still does")
  void otherStoresBlocksAreIgnored() {
    FreshSchema other = new FreshSchema("store_other");
    EventStore otherStore = other.connect(vertx, BlueprintEvents.registry());
    io.vertx.sqlclient.Pool raw = io.vertx.pgclient.PgBuilder.pool().connectingTo(other.options().connectOptions()).using(vertx).build();
    io.vertx.sqlclient.SqlConnection slow = await(raw.getConnection());
    try {
      String lateId = "00000000-0000-7000-8000-" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L);
      await(slow.query("BEGIN").execute());
      // the other store's first block (position 1, below every position of this store) stays uncommitted
      long otherPosition = await(slow.query("SELECT * FROM append_events("
          + "ARRAY['user-other-" + lateId + "'], ARRAY[-1]::bigint[], ARRAY[1], ARRAY[0], ARRAY[1], ARRAY['" + lateId + "']::uuid[],"
          + " ARRAY['user.registered'], ARRAY[1], ARRAY[now()],"
          + " ARRAY['{\"userId\":\"o\",\"email\":\"o@example.org\",\"username\":\"o\"}'],"
          + " ARRAY['{\"source\":\"x\",\"subject\":\"o\",\"aggregatetype\":\"user\",\"correlationid\":\"c\"}'],"
          + " 'unused')").execute()).iterator().next().getLong(2);

      var mine = await(store.append(stream("mine"), EventStore.NO_STREAM, List.of(userRegistered("m"))));

      assertThat(otherPosition).isLessThan(mine.firstPosition());
      assertThat(await(store.headPosition())).as("this store's head").isGreaterThanOrEqualTo(mine.firstPosition());
      assertThat(await(store.readAll(mine.firstPosition(), 10)).events()).extracting(RecordedEvent::position)
          .contains(mine.firstPosition());
      assertThat(await(otherStore.headPosition())).as("the other store's own block still holds its head").isEqualTo(otherPosition - 1);
      await(slow.query("COMMIT").execute());
      assertThat(await(otherStore.headPosition())).isEqualTo(otherPosition);
    } finally {
      await(slow.close());
      await(raw.close());
      await(otherStore.close());
      other.drop();
    }
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @DisplayName("two processes racing on one stream: one wins each version, the other gets both versions in its conflict")
  void crossProcessRace() {
    PgEventStore other = await(PgEventStore.connect(vertx, options, BlueprintEvents.registry()));
    try {
      String stream = stream("race");
      for (long version = 0; version < 40; version++) {
        Future<io.herald.store.AppendResult> mine = store.append(stream, version, List.of(userRegistered("m")));
        Future<io.herald.store.AppendResult> theirs = other.append(stream, version, List.of(userRegistered("t")));
        await(Future.join(mine, theirs).otherwiseEmpty());

        assertThat(List.of(mine, theirs)).filteredOn(Future::succeeded).as("winners of version %d", version + 1).hasSize(1);
        Throwable lost = (mine.failed() ? mine : theirs).cause();
        assertThat(lost).isInstanceOf(io.herald.store.ConcurrencyConflictException.class);
        assertThat(((io.herald.store.ConcurrencyConflictException) lost).actualVersion()).isEqualTo(version + 1);
      }
      Future<io.herald.store.AppendResult> a = store.append(stream, EventStore.ANY_VERSION, List.of(userRegistered("a")));
      Future<io.herald.store.AppendResult> b = other.append(stream, EventStore.ANY_VERSION, List.of(userRegistered("b")));
      await(Future.all(a, b));
      assertThat(List.of(a.result().nextVersion(), b.result().nextVersion())).containsExactlyInAnyOrder(41L, 42L);
    } finally {
      await(other.close());
    }
  }

  @Test
  @DisplayName("reconnecting to an existing schema keeps its events and applies no migration twice")
  void reconnectKeepsData() {
    String stream = stream("user");
    await(store.append(stream, EventStore.NO_STREAM, List.of(userRegistered("k"))));

    PgEventStore again = await(PgEventStore.connect(vertx, options, BlueprintEvents.registry()));
    try {
      assertThat(await(again.readStream(stream, 1))).hasSize(1);
    } finally {
      await(again.close());
    }
  }

  @Test
  @DisplayName("an unreachable server fails connect with a one-line reason naming the address")
  void unreachable() {
    PgStoreOptions nowhere = new PgStoreOptions("127.0.0.1", 1, "test", "postgres", "", "herald", 1, 8, 100, 1000);

    Throwable failure = failureOf(PgEventStore.connect(vertx, nowhere, BlueprintEvents.registry()));

    assertThat(failure).isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("cannot reach PostgreSQL at 127.0.0.1:1/test")
        .hasMessageNotContaining("\n");
  }

  @Test
  @DisplayName("checkpoints start at 0, never move backwards, and reset to 0")
  void checkpoints() {
    CheckpointStore checkpoints = ((PgEventStore) store).checkpoints();
    String name = "reader-" + System.nanoTime();

    assertThat(await(checkpoints.load(name))).isZero();
    await(checkpoints.save(name, 42));
    await(checkpoints.save(name, 17));
    assertThat(await(checkpoints.load(name))).isEqualTo(42);
    await(checkpoints.reset(name));
    assertThat(await(checkpoints.load(name))).isZero();
  }

  @Test
  @DisplayName("a large append is stored in one piece with contiguous versions and positions")
  void largeAppend() {
    String stream = stream("bulk");
    var events = IntStream.range(0, 2_000).mapToObj(i -> userRegistered("b")).toList();

    var result = await(store.append(stream, EventStore.NO_STREAM, events));

    assertThat(result.lastPosition() - result.firstPosition()).isEqualTo(1_999);
    assertThat(await(store.readStream(stream, 1))).hasSize(2_000);
  }
}
