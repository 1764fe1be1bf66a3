package io.herald.ordersaga;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.async.Backoff;
import io.herald.event.EventFactory;
import io.herald.event.domain.Address;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import io.herald.saga.BreakerOptions;
import io.herald.saga.BreakerRegistry;
import io.herald.saga.InMemorySagaStore;
import io.herald.saga.SagaEngine;
import io.herald.saga.SagaFailures;
import io.herald.saga.SagaOptions;
import io.herald.saga.SagaStep;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.herald.store.memory.InMemoryEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The saga starter across failed pages: the store's own in-memory checkpoints, failing on demand as a store blip
 * would; the starter must follow the store again with backoff, report the trouble in readiness meanwhile, and
 * start a saga for every order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The saga starter")
class SagaStarterTest {

  private final EventFactory events = new EventFactory(BlueprintEvents.registry(), "/test/order");
  private Vertx vertx;
  private Context context;
  private InMemoryEventStore store;
  private InMemorySagaStore sagas;
  private SagaEngine engine;
  private BreakerRegistry breakers;
  private SagaStarter starter;
  private final AtomicBoolean failSaves = new AtomicBoolean();
  private final AtomicInteger failedSaves = new AtomicInteger();

  /** The store's checkpoints, whose saves fail while {@code failSaves} is set. */
  private final class FlakyCheckpoints implements CheckpointStore {
    private final CheckpointStore real;

    FlakyCheckpoints(CheckpointStore real) {
      this.real = real;
    }

    @Override
    public Future<Long> load(String name) {
      return real.load(name);
    }

    @Override
    public Future<Void> save(String name, long position) {
      if (failSaves.get()) {
        failedSaves.incrementAndGet();
        return Future.failedFuture(new IllegalStateException("checkpoint store unreachable"));
      }
      return real.save(name, position);
    }

    @Override
    public Future<io.herald.store.Checkpoint> open(String name) {
      return real.open(name);
    }

    @Override
    public Future<Void> save(String name, long position, long epoch) {
      if (failSaves.get()) {
        failedSaves.incrementAndGet();
        return Future.failedFuture(new IllegalStateException("checkpoint store unreachable"));
      }
      return real.save(name, position, epoch);
    }

    @Override
    public Future<Long> claim(String name, long epoch) {
      return real.claim(name, epoch);
    }

    @Override
    public Future<Long> reset(String name) {
      return real.reset(name);
    }
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    store = new InMemoryEventStore(vertx);
    sagas = new InMemorySagaStore();
    breakers = new BreakerRegistry(vertx, new BreakerOptions(5, 5_000, 5_000, 0, 10), StepFailures::answered);
    engine = new SagaEngine(vertx, sagas, breakers,
        List.of(new SagaStep(OrderSagas.CREATE_ORDER, "order", s -> Future.succeededFuture(new JsonObject()), null)),
        new SagaOptions(30_000, 20, 100), new SagaFailures(StepFailures::refusal, StepFailures::didNothing, StepFailures::busy));
    // checkpoint interval 0: every page saves its checkpoint
    starter = new SagaStarter(vertx, store, new FlakyCheckpoints(store.checkpoints()), "saga-test", engine, 30_000, 0,
        new Backoff(50, 200), 0);
    onContext(starter::start);
  }

  @AfterEach
  void tearDown() {
    engine.stop();
    Futures.await(onContextFuture(starter::stop).otherwiseEmpty());
    breakers.close();
    Futures.await(store.close());
    Futures.await(vertx.close());
  }

  private <T> T onContext(Supplier<Future<T>> action) {
    return Futures.await(onContextFuture(action));
  }

  private <T> Future<T> onContextFuture(Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(done));
    return done.future();
  }

  private String placeOrder() {
    String orderId = "ord-" + UUID.randomUUID();
    OrderCreated order = new OrderCreated(orderId, "usr-1", "a@example.com", List.of(new OrderItem("SKU-1", 1, BigDecimal.ONE)),
        BigDecimal.ONE, new Address("1 Main St", "Springfield", "12345", "US"), "tok_visa");
    Futures.await(store.append("order-" + orderId, EventStore.ANY_VERSION, List.of(events.create(order))));
    return orderId;
  }

  private boolean hasSaga(String orderId) {
    return Futures.await(sagas.get(OrderSagas.sagaId(orderId))).isPresent();
  }

  @Test
  @DisplayName("a checkpoint save that fails: readiness says so, the starter follows the store again, later orders get their saga")
  void survivesFailedCheckpointSave() {
    String first = placeOrder();
    Futures.waitUntil(() -> hasSaga(first));
    assertThat(onContext(starter::check).getLong("position")).isPositive();

    failSaves.set(true);
    String during = placeOrder();
    Futures.waitUntil(() -> failedSaves.get() >= 2);   // failed once, and again after the first backoff
    Throwable down = Futures.failureOf(onContextFuture(starter::check));
    assertThat(down.getMessage()).startsWith("saga starter stopped at position").contains("checkpoint store unreachable");
    assertThat(hasSaga(during)).as("stored before its checkpoint").isTrue();

    failSaves.set(false);
    String after = placeOrder();
    Futures.waitUntil(() -> hasSaga(after));
    Futures.waitUntil(() -> onContextFuture(starter::check).otherwise((JsonObject) null).await() != null);
    assertThat(Futures.await(store.checkpoints().load("saga-test"))).isGreaterThanOrEqualTo(3);
  }
}
