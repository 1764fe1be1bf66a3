package io.herald.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.CommandFailedException;
import io.herald.command.CommandFailure;
import io.herald.testing.Futures;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The saga engine on its own: stub steps (functions answering what the test scripts), the in-memory saga store and
 * real circuit breakers. Failures are read as the order saga reads commands: 4xx refusals are answers, BUSY is an
 * answer to wait out, anything else (a timeout) may have taken effect.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The saga engine")
class SagaEngineTest {

  private static final Predicate<Throwable> REFUSAL = err -> err instanceof CommandFailedException failed
      && failed.failure().code() >= 400 && failed.failure().code() < 500 && failed.failure() != CommandFailure.BUSY;
  private static final Predicate<Throwable> BUSY = err -> err instanceof CommandFailedException failed
      && failed.failure() == CommandFailure.BUSY;
  private static final SagaFailures FAILURES = new SagaFailures(REFUSAL, REFUSAL.or(BUSY), BUSY);

  private Vertx vertx;
  private Context context;
  private InMemorySagaStore store;
  private BreakerRegistry breakers;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<SagaEngine> engines = new ArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    store = new InMemorySagaStore();
    breakers(new BreakerOptions(3, 5_000, 300, 0, 10));
  }

  @AfterEach
  void tearDown() {
    engines.forEach(SagaEngine::stop);
    breakers.close();
    Futures.await(vertx.close());
  }

  private void breakers(BreakerOptions options) {
    breakers = new BreakerRegistry(vertx, options, REFUSAL.or(BUSY));
  }

  // ---- stub steps: each call and compensation is logged; the n-th call (from 1) answers what the script says

  private SagaStep step(String name, String service, IntFunction<Future<JsonObject>> script) {
    return new SagaStep(name, service, run(name, script), undo(name, n -> Future.succeededFuture()));
  }

  private SagaStep step(String name, String service, IntFunction<Future<JsonObject>> script, IntFunction<Future<Void>> undo) {
    return new SagaStep(name, service, run(name, script), undo(name, undo));
  }

  private SagaStep pivot(String name, String service, IntFunction<Future<JsonObject>> script) {
    return SagaStep.pivot(name, service, run(name, script));
  }

  private SagaStep last(String name, String service, IntFunction<Future<JsonObject>> script) {
    return new SagaStep(name, service, run(name, script), null);
  }

  private Function<SagaState, Future<JsonObject>> run(String name, IntFunction<Future<JsonObject>> script) {
    AtomicInteger n = new AtomicInteger();
    return saga -> {
      calls.add(name);
      return script.apply(n.incrementAndGet());
    };
  }

  private Function<SagaState, Future<Void>> undo(String name, IntFunction<Future<Void>> script) {
    AtomicInteger n = new AtomicInteger();
    return saga -> {
      calls.add("undo " + name);
      return script.apply(n.incrementAndGet());
    };
  }

  private static Future<JsonObject> ok() {
    return Future.succeededFuture(new JsonObject());
  }

  private static <T> Future<T> timedOut() {
    return Future.failedFuture(new CommandFailedException(CommandFailure.TIMEOUT, "no answer in time"));
  }

  private static <T> Future<T> refused(CommandFailure failure, String why) {
    return Future.failedFuture(new CommandFailedException(failure, why));
  }

  private static <T> Future<T> busy() {
    return Future.failedFuture(CommandFailedException.busy("queue full"));
  }

  private SagaEngine engine(SagaOptions options, SagaStep... steps) {
    SagaEngine engine = new SagaEngine(vertx, store, breakers, List.of(steps), options, FAILURES);
    engines.add(engine);
    return engine;
  }

  private SagaEngine engine(SagaStep... steps) {
    return engine(new SagaOptions(30_000, 20, 100), steps);
  }

  private <T> T onContext(Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(done));
    return Futures.await(done.future());
  }

  private SagaState start(SagaEngine engine, String id, long deadlineMs) {
    Instant now = Instant.now();
    SagaState saga = SagaState.started(id, "order-" + id, engine.firstStep(), now, now.plusMillis(deadlineMs), new JsonObject());
    onContext(() -> engine.start(List.of(saga)));
    return saga;
  }

  private SagaState stored(String id) {
    return Futures.await(store.get(id)).orElseThrow();
  }

  private SagaState finished(String id) {
    Futures.waitUntil(() -> stored(id).status().finished());
    return stored(id);
  }

  private static List<String> steps(List<SagaEntry> entries, String outcome) {
    return entries.stream().filter(e -> e.outcome().equals(outcome)).map(SagaEntry::step).toList();
  }

  // ---- forward and back

  @Test
  @DisplayName("happy path: every step runs once, in order, and the saga completes with nothing undone")
  void happyPath() {
    SagaEngine engine = engine(step("create", "order", n -> ok()),
        step("reserve", "inventory", n -> Future.succeededFuture(new JsonObject().put("reservation", "r-1"))),
        step("pay", "payment", n -> ok()), last("ship", "shipping", n -> ok()));

    start(engine, "happy", 30_000);
    SagaState saga = finished("happy");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(steps(saga.history(), SagaEntry.DONE)).containsExactly("create", "reserve", "pay", "ship");
    assertThat(saga.compensations()).isEmpty();
    assertThat(saga.data().getString("reservation")).isEqualTo("r-1");
    assertThat(calls).containsExactly("reserve", "pay", "ship");
  }

  @Test
  @DisplayName("a refused step: the steps before it are compensated in reverse, the refused one is not")
  void failureCompensatesInReverse() {
    SagaEngine engine = engine(step("create", "order", n -> ok()), step("reserve", "inventory", n -> ok()),
        step("pay", "payment", n -> refused(CommandFailure.PAYMENT_REQUIRED, "card declined")),
        last("ship", "shipping", n -> ok()));

    start(engine, "declined", 30_000);
    SagaState saga = finished("declined");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(saga.reason()).isEqualTo("card declined");
    assertThat(steps(saga.history(), SagaEntry.FAILED)).containsExactly("pay");
    assertThat(steps(saga.compensations(), SagaEntry.DONE)).containsExactly("reserve", "create");
    assertThat(calls).containsExactly("reserve", "pay", "undo reserve", "undo create");
    assertThat(breakers.state("payment")).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  @DisplayName("a step that times out may have taken effect: it is compensated too")
  void timeoutIsCompensated() {
    SagaEngine engine = engine(step("create", "order", n -> ok()), step("reserve", "inventory", n -> ok()),
        step("pay", "payment", n -> timedOut()), last("ship", "shipping", n -> ok()));

    start(engine, "timeout", 30_000);
    SagaState saga = finished("timeout");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(steps(saga.history(), SagaEntry.UNKNOWN)).containsExactly("pay");
    assertThat(calls).containsExactly("reserve", "pay", "undo pay", "undo reserve", "undo create");
  }

  @Test
  @DisplayName("deadline: a saga still moving forward past it runs no further step and compensates what it did")
  void deadline() {
    SagaEngine engine = engine(step("create", "order", n -> ok()),
        step("reserve", "inventory", n -> vertx.timer(400).map(new JsonObject())),
        step("pay", "payment", n -> ok()), last("ship", "shipping", n -> ok()));

    start(engine, "late", 150);
    SagaState saga = finished("late");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(saga.reason()).isEqualTo("saga deadline passed before step pay");
    assertThat(steps(saga.compensations(), SagaEntry.DONE)).containsExactly("reserve", "create");
    assertThat(calls).containsExactly("reserve", "undo reserve", "undo create");
  }

  @Test
  @DisplayName("a compensation that fails is tried again with backoff until it succeeds")
  void compensationRetried() {
    SagaEngine engine = engine(step("create", "order", n -> ok()),
        step("reserve", "inventory", n -> ok(), n -> n < 3 ? timedOut() : Future.succeededFuture()),
        last("pay", "payment", n -> refused(CommandFailure.PAYMENT_REQUIRED, "card declined")));

    start(engine, "retried", 30_000);
    SagaState saga = finished("retried");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(saga.compensations()).extracting(SagaEntry::step, SagaEntry::outcome, SagaEntry::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("reserve", SagaEntry.DONE, "after 3 attempts"),
            org.assertj.core.groups.Tuple.tuple("create", SagaEntry.DONE, null));
    assertThat(calls).containsExactly("reserve", "pay", "undo reserve", "undo reserve", "undo reserve", "undo create");
  }

  // ---- item: the point of no return

  @Test
  @DisplayName("past the point of no return, timeouts, an open breaker and the deadline only delay the saga: it completes, nothing undone")
  void pastPivotOnlyForward() {
    breakers(new BreakerOptions(2, 5_000, 200, 0, 10));
    SagaEngine engine = engine(new SagaOptions(300, 20, 100),
        step("create", "order", n -> ok()), step("pay", "payment", n -> ok()),
        pivot("ship", "shipping", n -> ok()),
        last("markShipped", "order", n -> n <= 4 ? timedOut() : ok()));

    start(engine, "shipped", 300);
    SagaState saga = finished("shipped");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(saga.compensations()).isEmpty();
    assertThat(steps(saga.history(), SagaEntry.DONE)).containsExactly("create", "pay", "ship", "markShipped");
    assertThat(saga.updatedAt()).as("it went on past its deadline").isAfter(saga.deadline());
    assertThat(calls).containsExactly("pay", "ship", "markShipped", "markShipped", "markShipped", "markShipped", "markShipped");
    assertThat(breakers.describe().stream().map(JsonObject.class::cast)
        .filter(b -> b.getString("name").equals("order")).findFirst().orElseThrow()
        .getJsonArray("changes").stream().map(c -> ((JsonObject) c).getString("state")).toList())
        .as("the order breaker opened on the way").contains("open");
  }

  @Test
  @DisplayName("a point of no return whose outcome is unknown (a timeout past the deadline) is tried again, never compensated")
  void pivotTimeoutGoesForward() {
    SagaEngine engine = engine(new SagaOptions(100, 20, 100), step("create", "order", n -> ok()),
        step("pay", "payment", n -> ok()),
        pivot("ship", "shipping", n -> n == 1 ? vertx.timer(200).compose(v -> timedOut()) : ok()),
        last("markShipped", "order", n -> ok()));

    start(engine, "pivot-timeout", 100);
    SagaState saga = finished("pivot-timeout");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(saga.compensations()).isEmpty();
    assertThat(saga.history()).extracting(SagaEntry::step, SagaEntry::outcome).contains(
        org.assertj.core.groups.Tuple.tuple("ship", SagaEntry.UNKNOWN), org.assertj.core.groups.Tuple.tuple("ship", SagaEntry.DONE));
    assertThat(calls).containsExactly("pay", "ship", "ship", "markShipped");
  }

  @Test
  @DisplayName("a point of no return refused (it did nothing) still compensates what came before")
  void pivotRefusedCompensates() {
    SagaEngine engine = engine(step("create", "order", n -> ok()), step("pay", "payment", n -> ok()),
        pivot("ship", "shipping", n -> refused(CommandFailure.CONFLICT, "order cancelled")), last("markShipped", "order", n -> ok()));

    start(engine, "pivot-refused", 30_000);
    SagaState saga = finished("pivot-refused");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(calls).containsExactly("pay", "ship", "undo pay", "undo create");
  }

  @Test
  @DisplayName("a compensation the service refuses (409) is recorded once and the saga goes on undoing, then ends")
  void refusedCompensationRecorded() {
    SagaEngine engine = engine(
        step("create", "order", n -> ok(), n -> refused(CommandFailure.CONFLICT, "order already shipped")),
        step("reserve", "inventory", n -> ok()),
        last("pay", "payment", n -> refused(CommandFailure.PAYMENT_REQUIRED, "card declined")));

    start(engine, "refused-undo", 30_000);
    SagaState saga = finished("refused-undo");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(saga.compensations()).extracting(SagaEntry::step, SagaEntry::outcome).containsExactly(
        org.assertj.core.groups.Tuple.tuple("reserve", SagaEntry.DONE),
        org.assertj.core.groups.Tuple.tuple("create", SagaEntry.FAILED));
    assertThat(saga.compensations().get(1).detail()).isEqualTo("refused: order already shipped");
    assertThat(calls).containsExactly("reserve", "pay", "undo reserve", "undo create");
  }

  // ---- item: a step in flight when the node stops

  @Test
  @DisplayName("a step in flight when the node stopped is of unknown outcome on resume: past the deadline it is undone too")
  void inFlightStepUndoneOnResume() {
    AtomicInteger releases = new AtomicInteger();
    List<SagaStep> steps = List.of(step("create", "order", n -> ok()), reserveInFlightAtFirst(releases),
        step("pay", "payment", n -> ok()), last("ship", "shipping", n -> ok()));
    stopWhileReserving(engine(new SagaOptions(200, 20, 100), steps.toArray(SagaStep[]::new)), "crashed", 200);
    assertThat(stored("crashed").step()).isEqualTo("reserve");
    Futures.waitUntil(() -> Instant.now().isAfter(stored("crashed").deadline()));

    SagaEngine second = engine(new SagaOptions(200, 20, 100), steps.toArray(SagaStep[]::new));
    assertThat(onContext(second::resumeUnfinished)).isEqualTo(1);
    SagaState saga = finished("crashed");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(saga.reason()).isEqualTo("saga deadline passed before step reserve");
    assertThat(saga.outcomeOf("reserve").outcome()).isEqualTo(SagaEntry.UNKNOWN);
    assertThat(steps(saga.compensations(), SagaEntry.DONE)).containsExactly("reserve", "create");
    assertThat(releases).hasValue(1);
    assertThat(calls).containsExactly("reserve", "undo reserve", "undo create");
  }

  @Test
  @DisplayName("a step in flight when the node stopped runs again on resume within the deadline")
  void inFlightStepRunsAgainOnResume() {
    List<SagaStep> steps = List.of(step("create", "order", n -> ok()), reserveInFlightAtFirst(new AtomicInteger()),
        last("pay", "payment", n -> ok()));
    stopWhileReserving(engine(steps.toArray(SagaStep[]::new)), "resumed", 30_000);

    SagaEngine second = engine(steps.toArray(SagaStep[]::new));
    onContext(second::resumeUnfinished);
    SagaState saga = finished("resumed");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(saga.history()).extracting(SagaEntry::step, SagaEntry::outcome).containsExactly(
        org.assertj.core.groups.Tuple.tuple("create", SagaEntry.DONE),
        org.assertj.core.groups.Tuple.tuple("reserve", SagaEntry.UNKNOWN),
        org.assertj.core.groups.Tuple.tuple("reserve", SagaEntry.DONE),
        org.assertj.core.groups.Tuple.tuple("pay", SagaEntry.DONE));
    assertThat(saga.attempts()).isZero();
  }

  // ---- item: busy

  @Test
  @DisplayName("busy: the step is asked again with backoff, the breaker stays closed, and the wait does not use up the deadline")
  void busyStepRetried() {
    breakers(new BreakerOptions(1, 5_000, 5_000, 0, 10));
    SagaEngine engine = engine(new SagaOptions(150, 100, 400), step("create", "order", n -> ok()),
        step("reserve", "inventory", n -> n <= 3 ? busy() : ok()), last("pay", "payment", n -> ok()));

    SagaState started = start(engine, "busy", 150);
    SagaState saga = finished("busy");

    assertThat(saga.status()).as("waits of at least 50 + 100 + 200 ms outlast the 150 ms deadline, which moved")
        .isEqualTo(SagaStatus.COMPLETED);
    assertThat(calls).containsExactly("reserve", "reserve", "reserve", "reserve", "pay");
    assertThat(saga.deadline()).isAfterOrEqualTo(started.deadline().plusMillis(350));
    assertThat(breakers.state("inventory")).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(breakers.describe().getJsonObject(0).getInteger("failureCount")).isZero();
  }

  @Test
  @DisplayName("busy: a compensation answered busy is asked again, and the breaker stays closed")
  void busyCompensationRetried() {
    breakers(new BreakerOptions(1, 5_000, 5_000, 0, 10));
    SagaEngine engine = engine(step("create", "order", n -> ok()),
        step("reserve", "inventory", n -> ok(), n -> n <= 2 ? busy() : Future.succeededFuture()),
        last("pay", "payment", n -> refused(CommandFailure.PAYMENT_REQUIRED, "card declined")));

    start(engine, "busy-undo", 30_000);
    SagaState saga = finished("busy-undo");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(steps(saga.compensations(), SagaEntry.DONE)).containsExactly("reserve", "create");
    assertThat(calls).containsExactly("reserve", "pay", "undo reserve", "undo reserve", "undo reserve", "undo create");
    assertThat(breakers.state(SagaEngine.compensationBreaker("inventory"))).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  @DisplayName("forward calls and compensations of one service go through breakers of their own")
  void breakerPerDirection() {
    SagaEngine engine = engine(step("create", "order", n -> ok()), step("reserve", "inventory", n -> ok()),
        last("pay", "payment", n -> refused(CommandFailure.PAYMENT_REQUIRED, "card declined")));

    start(engine, "directions", 30_000);
    finished("directions");

    assertThat(breakers.describe().stream().map(b -> ((JsonObject) b).getString("name")).toList())
        .containsExactlyInAnyOrder("inventory", "inventory.compensation", "order.compensation", "payment");
  }

  @Test
  @DisplayName("at most maxRunning sagas move at once; the others wait their turn, with the wait added to their deadline")
  void boundedBurst() throws Exception {
    List<Promise<JsonObject>> held = new CopyOnWriteArrayList<>();
    AtomicInteger moving = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    SagaEngine engine = engine(new SagaOptions(30_000, 20, 100, 2), step("create", "order", n -> ok()),
        last("pay", "payment", n -> {
          most.accumulateAndGet(moving.incrementAndGet(), Math::max);
          Promise<JsonObject> answer = Promise.promise();
          held.add(answer);
          return answer.future().andThen(ar -> moving.decrementAndGet());
        }));

    List<String> ids = List.of("burst-1", "burst-2", "burst-3", "burst-4", "burst-5");
    for (String id : ids) {
      start(engine, id, 30_000);
    }
    Futures.waitUntil(() -> held.size() == 2);
    Thread.sleep(200);
    assertThat(held).as("calls while two sagas hold both places").hasSize(2);
    assertThat(engine.inFlight()).isEqualTo(5);
    assertThat(engine.waiting()).isEqualTo(3);

    for (int answered = 0; answered < ids.size(); answered++) {
      int index = answered;
      Futures.waitUntil(() -> held.size() > index);
      Thread.sleep(50);   // the waiting ones have time to wait: their deadline moves back by at least that
      context.runOnContext(v -> held.get(index).complete(new JsonObject()));
    }
    ids.forEach(this::finished);

    assertThat(most).as("sagas calling at once").hasValue(2);
    assertThat(ids.stream().map(this::stored).map(SagaState::status)).containsOnly(SagaStatus.COMPLETED);
    assertThat(engine.inFlight()).isZero();
    long pushedBack = ids.stream().map(this::stored)
        .filter(saga -> saga.deadline().isAfter(saga.startedAt().plusMillis(30_000 + 40))).count();
    assertThat(pushedBack).as("sagas whose deadline moved back by their wait").isEqualTo(3);
  }

  @Test
  @DisplayName("a step of unknown outcome is undone even when its next attempt did nothing (breaker open)")
  void unknownAttemptUndoneAfterAnAttemptThatDidNothing() {
    breakers(new BreakerOptions(1, 5_000, 60_000, 0, 10));
    AtomicInteger releases = new AtomicInteger();
    List<SagaStep> steps = List.of(step("create", "order", n -> ok()), reserveInFlightAtFirst(releases),
        last("pay", "payment", n -> ok()));
    stopWhileReserving(engine(steps.toArray(SagaStep[]::new)), "unknown-then-open", 30_000);   // it may have landed
    // the inventory service fails meanwhile: its breaker opens, so the next attempt is not even sent
    onContext(() -> breakers.call("inventory", () -> timedOut()).otherwiseEmpty());
    assertThat(breakers.state("inventory")).isEqualTo(CircuitBreakerState.OPEN);

    SagaEngine second = engine(steps.toArray(SagaStep[]::new));
    onContext(second::resumeUnfinished);
    SagaState saga = finished("unknown-then-open");

    assertThat(saga.status()).isEqualTo(SagaStatus.COMPENSATED);
    assertThat(saga.history()).extracting(SagaEntry::step, SagaEntry::outcome).containsExactly(
        org.assertj.core.groups.Tuple.tuple("create", SagaEntry.DONE),
        org.assertj.core.groups.Tuple.tuple("reserve", SagaEntry.UNKNOWN),
        org.assertj.core.groups.Tuple.tuple("reserve", SagaEntry.FAILED));
    assertThat(releases).as("the reservation that may have landed is released").hasValue(1);
    assertThat(steps(saga.compensations(), SagaEntry.DONE)).containsExactly("reserve", "create");
  }

  // ---- a node that stops with a step in flight

  /** A reserve step whose first attempt never answers; {@code releases} counts its compensations. */
  private SagaStep reserveInFlightAtFirst(AtomicInteger releases) {
    Promise<JsonObject> never = Promise.promise();
    return step("reserve", "inventory", n -> n == 1 ? never.future() : ok(), n -> {
      releases.incrementAndGet();
      return Future.succeededFuture();
    });
  }

  /** Starts saga {@code id} on {@code first}, then stops that engine (the node goes down) with reserve in flight. */
  private void stopWhileReserving(SagaEngine first, String id, long deadlineMs) {
    start(first, id, deadlineMs);
    Futures.waitUntil(() -> calls.contains("reserve"));
    first.stop();
  }
}
