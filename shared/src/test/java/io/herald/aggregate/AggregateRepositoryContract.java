package io.herald.aggregate;

import io.herald.testing.StoreTestBase;
import io.herald.testing.Futures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.event.DomainEvent;
import io.herald.event.EventFactory;
import io.herald.event.EventRegistry;
import io.herald.event.EventType;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The behaviour of an aggregate repository, run against each store. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AggregateRepositoryContract extends StoreTestBase {

  @EventType(value = "test.counted", aggregate = "counter")
  public record Counted(String counterId, int amount) implements DomainEvent {
    @Override
    public String aggregateId() {
      return counterId;
    }
  }

  @EventType(value = "test.counter-closed", aggregate = "counter")
  public record CounterClosed(String counterId) implements DomainEvent {
    @Override
    public String aggregateId() {
      return counterId;
    }
  }

  public record CounterState(long total, boolean closed) {
  }

  /** A counter that remembers how many events it applied, to show what a load read. */
  static final class Counter implements Aggregate<CounterState> {
    final AtomicInteger applied = new AtomicInteger();
    private final String snapshotType;

    Counter(String snapshotType) {
      this.snapshotType = snapshotType;
    }

    @Override
    public String type() {
      return "counter";
    }

    @Override
    public CounterState initial() {
      return new CounterState(0, false);
    }

    @Override
    public CounterState apply(CounterState state, DomainEvent event) {
      applied.incrementAndGet();
      if (event instanceof Counted c) {
        return new CounterState(state.total() + c.amount(), state.closed());
      }
      if (event instanceof CounterClosed) {
        return new CounterState(state.total(), true);
      }
      throw new IllegalArgumentException("unexpected " + event);
    }

    @Override
    public String snapshotType() {
      return snapshotType;
    }

    @Override
    public JsonObject toSnapshot(CounterState state) {
      return new JsonObject().put("total", state.total()).put("closed", state.closed());
    }

    @Override
    public CounterState fromSnapshot(JsonObject snapshot) {
      return new CounterState(snapshot.getLong("total"), snapshot.getBoolean("closed"));
    }
  }

  static final EventRegistry REGISTRY = EventRegistry.builder().registerAll(Counted.class, CounterClosed.class).build();
  static final EventFactory EVENTS = new EventFactory(REGISTRY, "/test/counter");

  static <T> T await(Future<T> future) {
    return Futures.await(future);
  }

  static Throwable failureOf(Future<?> future) {
    return Futures.failureOf(future);
  }

  private AggregateRepository<CounterState> repository(Counter counter, int snapshotEvery) {
    return new AggregateRepository<>(store, counter, EVENTS, new RepositoryOptions(snapshotEvery, 50));
  }

  private static List<DomainEvent> count(Loaded<CounterState> counter, int amount) {
    if (counter.state().closed()) {
      throw new CommandRejectedException(counter.id(), "counter " + counter.id() + " is closed");
    }
    return List.of(new Counted(counter.id(), amount));
  }

  @Test
  @DisplayName("state is rebuilt from the stream's events by a fresh repository")
  void rebuildsFromEvents() {
    String id = UUID.randomUUID().toString();
    AggregateRepository<CounterState> repo = repository(new Counter("counter-v1"), 0);
    for (int amount : new int[] {3, 4, 5}) {
      await(repo.handle(id, c -> count(c, amount)));
    }

    Loaded<CounterState> loaded = await(repository(new Counter("counter-v1"), 0).load(id));

    assertThat(loaded.state()).isEqualTo(new CounterState(12, false));
    assertThat(loaded.version()).isEqualTo(3);
  }

  @Test
  @DisplayName("a refused command fails with its reason and appends nothing")
  void rejectedCommand() {
    String id = UUID.randomUUID().toString();
    AggregateRepository<CounterState> repo = repository(new Counter("counter-v1"), 0);
    await(repo.handle(id, c -> count(c, 1)));
    await(repo.handle(id, c -> List.of(new CounterClosed(c.id()))));

    Throwable refused = failureOf(repo.handle(id, c -> count(c, 1)));

    assertThat(refused).isInstanceOf(CommandRejectedException.class).hasMessage("counter " + id + " is closed");
    assertThat(await(repo.load(id)).version()).isEqualTo(2);
  }

  @Test
  @DisplayName("a command that decides on no events appends nothing and reports the current version")
  void noEvents() {
    String id = UUID.randomUUID().toString();
    AggregateRepository<CounterState> repo = repository(new Counter("counter-v1"), 0);
    await(repo.handle(id, c -> count(c, 1)));

    CommandResult<CounterState> result = await(repo.handle(id, c -> List.of()));

    assertThat(result.changed()).isFalse();
    assertThat(result.aggregate().version()).isEqualTo(1);
  }

  @Test
  @DisplayName("concurrent commands on one aggregate never lose an update: conflicts are decided again on fresh state")
  void concurrentCommandsKeepEveryUpdate() {
    String id = UUID.randomUUID().toString();
    AggregateRepository<CounterState> repo = repository(new Counter("counter-v1"), 0);
    List<Future<CommandResult<CounterState>>> commands = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      commands.add(repo.handle(id, c -> count(c, 1)));
    }
    await(Future.all(commands));

    Loaded<CounterState> loaded = await(repo.load(id));
    assertThat(loaded.state().total()).isEqualTo(25);
    assertThat(loaded.version()).isEqualTo(25);
  }

  @Test
  @DisplayName("a snapshot is taken every N events and a load starts from it")
  void snapshots() {
    String id = UUID.randomUUID().toString();
    AggregateRepository<CounterState> writer = repository(new Counter("counter-v1"), 5);
    for (int i = 0; i < 12; i++) {
      await(writer.handle(id, c -> count(c, 2)));
    }
    Counter reading = new Counter("counter-v1");

    Loaded<CounterState> loaded = await(repository(reading, 5).load(id));

    assertThat(await(store.loadSnapshot("counter-" + id))).get()
        .satisfies(s -> assertThat(s.version()).isEqualTo(10));
    assertThat(loaded.state().total()).isEqualTo(24);
    assertThat(loaded.version()).isEqualTo(12);
    assertThat(reading.applied).as("events applied after the snapshot").hasValue(2);
  }

  @Test
  @DisplayName("a snapshot of another state shape is ignored and the state is rebuilt from all events")
  void staleSnapshotShape() {
    String id = UUID.randomUUID().toString();
    AggregateRepository<CounterState> writer = repository(new Counter("counter-v1"), 5);
    for (int i = 0; i < 6; i++) {
      await(writer.handle(id, c -> count(c, 1)));
    }
    Counter newShape = new Counter("counter-v2");

    Loaded<CounterState> loaded = await(repository(newShape, 5).load(id));

    assertThat(loaded.state().total()).isEqualTo(6);
    assertThat(newShape.applied).hasValue(6);
  }

  @Test
  @DisplayName("an event for another aggregate is refused before anything is appended")
  void foreignEvent() {
    String id = UUID.randomUUID().toString();
    AggregateRepository<CounterState> repo = repository(new Counter("counter-v1"), 0);

    assertThatThrownBy(() -> await(repo.handle(id, c -> List.of(new Counted("someone-else", 1)))))
        .hasMessageContaining("belongs to aggregate 'someone-else'");
    assertThat(await(repo.load(id)).version()).isZero();
  }

  @Test
  @DisplayName("the events of one command share a correlation id and carry the causation given")
  void correlation() {
    String id = UUID.randomUUID().toString();
    AggregateRepository<CounterState> repo = repository(new Counter("counter-v1"), 0);

    CommandResult<CounterState> result = await(repo.handle(id, "flow-7", "cmd-1",
        c -> List.of(new Counted(c.id(), 1), new CounterClosed(c.id()))));

    assertThat(result.events()).extracting(e -> e.correlationid()).containsOnly("flow-7");
    assertThat(result.events()).extracting(e -> e.causationid()).containsOnly("cmd-1");
    assertThat(result.append().nextVersion()).isEqualTo(2);
  }

  // ---- aggregates remembered between commands

  private AggregateRepository<CounterState> repository(Counter counter, int snapshotEvery, int cachedAggregates) {
    return new AggregateRepository<>(store, counter, EVENTS, new RepositoryOptions(snapshotEvery, 50, cachedAggregates));
  }

  /** Adds {@code amount} once the counter holds at least {@code atLeast}; below that there is nothing to do. */
  private static List<DomainEvent> topUp(Loaded<CounterState> counter, int atLeast, int amount) {
    return counter.state().total() >= atLeast ? List.of(new Counted(counter.id(), amount)) : List.of();
  }

  /** Adds {@code amount}, refused while the counter holds less than {@code atLeast}. */
  private static List<DomainEvent> countFrom(Loaded<CounterState> counter, int atLeast, int amount) {
    if (counter.state().total() < atLeast) {
      throw new CommandRejectedException(counter.id(), "counter " + counter.id() + " holds less than " + atLeast);
    }
    return List.of(new Counted(counter.id(), amount));
  }

  @Test
  @DisplayName("the next command on an aggregate is decided on the state the last one left, without reading its events again")
  void remembersWhatItHandled() {
    String id = UUID.randomUUID().toString();
    Counter remembering = new Counter("counter-v1");
    AggregateRepository<CounterState> repo = repository(remembering, 0, 100);
    String other = UUID.randomUUID().toString();
    Counter reading = new Counter("counter-v1");
    AggregateRepository<CounterState> everyTime = repository(reading, 0, 0);
    for (int i = 0; i < 5; i++) {
      await(repo.handle(id, c -> count(c, 1)));
      await(everyTime.handle(other, c -> count(c, 1)));
    }

    assertThat(remembering.applied).as("each event applied once, when decided").hasValue(5);
    assertThat(reading.applied).as("loads of 0 + 1 + 2 + 3 + 4 events, then the decided ones").hasValue(15);
    assertThat(await(repository(new Counter("counter-v1"), 0).load(id)).state()).isEqualTo(new CounterState(5, false));
  }

  @Test
  @DisplayName("a remembered aggregate that another writer moved on loses the version check and is decided on fresh state")
  void rememberedStateMovedOnElsewhere() {
    String id = UUID.randomUUID().toString();
    AggregateRepository<CounterState> here = repository(new Counter("counter-v1"), 0);
    await(here.handle(id, c -> count(c, 1)));
    await(repository(new Counter("counter-v1"), 0).handle(id, c -> count(c, 10)));

    CommandResult<CounterState> result = await(here.handle(id, c -> count(c, 100)));

    assertThat(result.aggregate().state().total()).isEqualTo(111);
    assertThat(result.aggregate().version()).isEqualTo(3);
  }

  @Test
  @DisplayName("a refusal or 'nothing to do' decided on a remembered state holds only when the stored aggregate decides the same")
  void staleRefusalIsDecidedAgain() {
    String id = UUID.randomUUID().toString();
    AggregateRepository<CounterState> here = repository(new Counter("counter-v1"), 0);
    await(here.handle(id, c -> count(c, 1)));
    AggregateRepository<CounterState> elsewhere = repository(new Counter("counter-v1"), 0);
    await(elsewhere.handle(id, c -> count(c, 10)));

    CommandResult<CounterState> allowed = await(here.handle(id, c -> countFrom(c, 10, 100)));
    await(elsewhere.handle(id, c -> count(c, 1_000)));
    CommandResult<CounterState> done = await(here.handle(id, c -> topUp(c, 1_000, 10_000)));
    Throwable refused = failureOf(here.handle(id, c -> countFrom(c, 100_000, 1)));

    assertThat(allowed.aggregate().state().total()).as("refused on the remembered 1, allowed on the stored 11").isEqualTo(111);
    assertThat(done.changed()).as("nothing to do at the remembered 111, something at the stored 1,111").isTrue();
    assertThat(done.aggregate().state().total()).isEqualTo(11_111);
    assertThat(refused).isInstanceOf(CommandRejectedException.class).hasMessageContaining("holds less than 100000");
    assertThat(await(here.load(id)).version()).isEqualTo(5);
  }

  @Test
  @DisplayName("handleNew decides on the initial state without a read; on a stream that exists it decides on the stored state")
  void handleNewReadsOnlyWhenTheStreamExists() {
    String fresh = UUID.randomUUID().toString();
    String existing = UUID.randomUUID().toString();
    await(repository(new Counter("counter-v1"), 0).handle(existing, c -> count(c, 10)));
    Counter counter = new Counter("counter-v1");
    AggregateRepository<CounterState> repo = repository(counter, 0);

    CommandResult<CounterState> created = await(repo.handleNew(fresh, "flow-1", null, c -> count(c, 1)));
    int appliedForFresh = counter.applied.get();
    CommandResult<CounterState> onExisting = await(repo.handleNew(existing, "flow-2", null, c -> countFrom(c, 10, 5)));

    assertThat(appliedForFresh).as("only the decided event, nothing read").isEqualTo(1);
    assertThat(created.aggregate().version()).isEqualTo(1);
    assertThat(created.events()).extracting(e -> e.correlationid()).containsOnly("flow-1");
    assertThat(onExisting.aggregate().state().total()).as("refused on the initial 0, allowed on the stored 10").isEqualTo(15);
    assertThat(onExisting.aggregate().version()).isEqualTo(2);
    assertThat(await(repository(new Counter("counter-v1"), 0).load(existing)).state().total()).isEqualTo(15);
  }

  // ---- batches of commands on one aggregate (CommandBatcher)

  /** Runs {@code action} on a Vert.x context, as a verticle would, and hands back what it returned. */
  private <T> T onContext(java.util.function.Supplier<T> action) {
    io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> done.complete(action.get()));
    return await(done.future());
  }

  private CommandBatcher<CounterState> batcher(Counter counter, int maxBatch, int maxQueued) {
    return new CommandBatcher<>(repository(counter, 0), new BatchingOptions(maxBatch, maxQueued, 100));
  }

  @Test
  @DisplayName("commands that arrive together are decided in batches of at most maxBatch: 200 commands, 4 appends, every update kept")
  void batchesQueuedCommands() {
    String id = UUID.randomUUID().toString();
    CommandBatcher<CounterState> batcher = batcher(new Counter("counter-v1"), 64, 1_000);

    List<Future<CommandResult<CounterState>>> sent = onContext(() -> {
      List<Future<CommandResult<CounterState>>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        all.add(batcher.submit(id, "flow-" + i, null, c -> count(c, 1)));
      }
      return all;
    });
    await(Future.all(sent));

    assertThat(batcher.batches()).as("64 + 64 + 64 + 8").isEqualTo(4);
    Loaded<CounterState> loaded = await(repository(new Counter("counter-v1"), 0).load(id));
    assertThat(loaded.state().total()).isEqualTo(200);
    assertThat(loaded.version()).isEqualTo(200);
    List<Long> positions = sent.stream().map(f -> f.result().append().firstPosition()).toList();
    assertThat(positions).as("each command keeps its own position, in the order sent").isSorted().doesNotHaveDuplicates();
    assertThat(sent.stream().map(f -> f.result().aggregate().version()).toList())
        .as("each command sees the version its own events reached")
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList());
    assertThat(sent.get(57).result().events()).extracting(e -> e.correlationid()).containsOnly("flow-57");
  }

  @Test
  @DisplayName("a refused command in a batch fails alone; the commands around it are stored")
  void batchRefusesOneCommand() {
    String id = UUID.randomUUID().toString();
    CommandBatcher<CounterState> batcher = batcher(new Counter("counter-v1"), 500, 1_000);

    List<Future<CommandResult<CounterState>>> sent = onContext(() -> List.of(
        batcher.submit(id, c -> count(c, 1)),
        batcher.submit(id, c -> count(c, 2)),
        batcher.submit(id, c -> {
          throw new CommandRejectedException(c.id(), "no thanks");
        }),
        batcher.submit(id, c -> count(c, 4))));
    await(Future.join(sent).otherwiseEmpty());

    assertThat(sent.get(2).cause()).isInstanceOf(CommandRejectedException.class).hasMessage("no thanks");
    assertThat(sent.get(3).result().aggregate().state().total()).isEqualTo(7);
    assertThat(await(repository(new Counter("counter-v1"), 0).load(id)).state().total()).isEqualTo(7);
  }

  @Test
  @DisplayName("past its queue bound a command is refused as busy at once and changes nothing")
  void batchQueueBound() {
    String id = UUID.randomUUID().toString();
    CommandBatcher<CounterState> batcher = batcher(new Counter("counter-v1"), 500, 5);

    List<Future<CommandResult<CounterState>>> sent = onContext(() -> {
      List<Future<CommandResult<CounterState>>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        all.add(batcher.submit(id, c -> count(c, 1)));
      }
      return all;
    });
    await(Future.join(sent).otherwiseEmpty());

    assertThat(sent.stream().filter(Future::succeeded).count()).as("five may wait").isEqualTo(5);
    assertThat(sent.get(5).cause()).isInstanceOf(AggregateBusyException.class)
        .hasMessageContaining("5 commands already wait for " + id);
    assertThat(await(repository(new Counter("counter-v1"), 0).load(id)).state().total()).isEqualTo(5);
  }

  @Test
  @DisplayName("a batch started from a stale cached state loses the race, reloads and keeps the other writer's update")
  void batchAfterAnotherWriter() {
    String id = UUID.randomUUID().toString();
    CommandBatcher<CounterState> batcher = batcher(new Counter("counter-v1"), 500, 1_000);
    await(onContext(() -> batcher.submit(id, c -> count(c, 1))));
    await(repository(new Counter("counter-v1"), 0).handle(id, c -> count(c, 10)));

    CommandResult<CounterState> result = await(onContext(() -> batcher.submit(id, c -> count(c, 100))));

    assertThat(result.aggregate().state().total()).isEqualTo(111);
    assertThat(result.aggregate().version()).isEqualTo(3);
  }
}
