package io.herald.projection;

import static io.herald.broker.TestEvents.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.herald.store.Checkpoint;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.herald.store.pg.FreshSchema;
import io.herald.store.pg.PgEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A projection rebuild and a checkpoint save from before it")
class ProjectionRebuildFencingIT {

  private static final EventFactory EVENTS = new EventFactory(BlueprintEvents.registry(), "/test/users");

  @Test
  @DisplayName("a save still in flight when the rebuild begins cannot move the rebuilt projection's checkpoint")
  void lateSaveCannotOverwriteARebuild() {
    FreshSchema schema = new FreshSchema("rebuild_fence_it");
    Vertx vertx = Vertx.vertx();
    try {
      PgEventStore store = schema.connect(vertx, BlueprintEvents.registry());
      Futures.await(store.append("users-f", EventStore.NO_STREAM, IntStream.range(0, 10)
          .mapToObj(i -> EVENTS.create(new UserRegistered("f" + i, "f" + i + "@example.org", "f"))).toList()));
      HeldSaves checkpoints = new HeldSaves(store.checkpoints());
      Counter counter = new Counter();
      ProjectionRunner runner = new ProjectionRunner(vertx, store, checkpoints, "counter", counter,
          new ProjectionOptions(1, 3_600_000));

      Futures.await(runner.start());
      awaitUntil("the first run applies every event", () -> runner.checkpoint() == 10);
      awaitUntil("its checkpoint save is on its way", () -> !checkpoints.held.isEmpty());

      checkpoints.holding = false;
      Futures.await(runner.rebuild());   // the replay waits at the counter's gate: nothing is applied yet
      checkpoints.releaseHeld();         // the save from before the rebuild lands now
      awaitUntil("the late save was answered", checkpoints::settled);

      assertThat(Futures.await(store.checkpoints().load("counter")))
          .as("the rebuilt projection's checkpoint while it has applied nothing").isZero();

      counter.gate.complete();
      awaitUntil("the replay applies every event again", () -> runner.checkpoint() == 10);
      Futures.await(runner.stop());
      assertThat(counter.count.get()).isEqualTo(10);
      Checkpoint stored = Futures.await(store.checkpoints().open("counter"));
      assertThat(stored.position()).isEqualTo(10);
      assertThat(stored.epoch()).as("raised by the rebuild").isPositive();
      Futures.await(store.close());
    } finally {
      Futures.await(vertx.close());
      schema.drop();
    }
  }

  /** An in-memory read model whose replay waits at a gate after a reset. */
  private static final class Counter implements ProjectionHandler {
    final AtomicInteger count = new AtomicInteger();
    final Promise<Void> gate = Promise.promise();
    volatile boolean rebuilt;

    @Override
    public Future<Void> apply(RecordedEvent event) {
      return (rebuilt ? gate.future() : Future.<Void>succeededFuture()).map(v -> {
        count.incrementAndGet();
        return null;
      });
    }

    @Override
    public Future<Void> reset() {
      count.set(0);
      rebuilt = true;
      return Future.succeededFuture();
    }
  }

  /** The store's checkpoints, with fenced saves held back while {@code holding}: a slow save, made slow on purpose. */
  private static final class HeldSaves implements CheckpointStore {
    final CheckpointStore store;
    final List<Runnable> held = new CopyOnWriteArrayList<>();
    final AtomicInteger unanswered = new AtomicInteger();
    volatile boolean holding = true;

    HeldSaves(CheckpointStore store) {
      this.store = store;
    }

    void releaseHeld() {
      held.forEach(Runnable::run);
    }

    boolean settled() {
      return unanswered.get() == 0;
    }

    @Override
    public Future<Void> save(String name, long position, long epoch) {
      if (!holding) {
        return store.save(name, position, epoch);
      }
      Promise<Void> saved = Promise.promise();
      unanswered.incrementAndGet();
      held.add(() -> store.save(name, position, epoch)
          .onComplete(ar -> unanswered.decrementAndGet())
          .onComplete(saved));
      return saved.future();
    }

    @Override
    public Future<Long> load(String name) {
      return store.load(name);
    }

    @Override
    public Future<Checkpoint> open(String name) {
      return store.open(name);
    }

    @Override
    public Future<Void> save(String name, long position) {
      return store.save(name, position);
    }

    @Override
    public Future<Long> claim(String name, long epoch) {
      return store.claim(name, epoch);
    }

    @Override
    public Future<Long> reset(String name) {
      return store.reset(name);
    }
  }
}
