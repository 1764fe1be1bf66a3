package io.herald.saga;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link CircuitBreaker} per target service, all with the same {@link BreakerOptions}, created on first use.
 * Every state change is logged and kept (the last {@value #KEPT_CHANGES} per breaker) for {@link #describe()}.
 *
 * <p>Only faults of the service count against its breaker: a call whose failure {@code refusal} accepts (a
 * declined card, an item out of stock, a busy service that is healthy but full) is an answer, so it neither opens the
 * breaker nor is retried by it; the caller still gets the failure and decides what to do with it.
 */
public final class BreakerRegistry {

  private static final Logger log = LoggerFactory.getLogger(BreakerRegistry.class);
  static final int KEPT_CHANGES = 20;

  private final Vertx vertx;
  private final BreakerOptions options;
  private final Predicate<Throwable> refusal;
  private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

  /**
   * @param refusal tells an answer of the service (a business refusal, busy) from a fault of the service
   */
  public BreakerRegistry(Vertx vertx, BreakerOptions options, Predicate<Throwable> refusal) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.refusal = Objects.requireNonNull(refusal, "refusal");
  }

  /**
   * Runs {@code call} through the breaker of {@code service}.
   *
   * @return the call's outcome; fails with {@link OpenCircuitException} at once while the breaker is open (the call
   *     is not made), with {@link io.vertx.circuitbreaker.TimeoutException} when it took longer than the timeout
   */
  public <T> Future<T> call(String service, Supplier<Future<T>> call) {
    // refusals travel through the breaker as successes, so they count as the service answering
    return breaker(service).breaker.<Answer<T>>execute(() -> call.get()
            .map(Answer::ok)
            .recover(err -> refusal.test(err) ? Future.succeededFuture(Answer.refused(err)) : Future.failedFuture(err)))
        .compose(answer -> answer.failure == null ? Future.succeededFuture(answer.value) : Future.failedFuture(answer.failure));
  }

  /** @return the state of every breaker used so far: name, state, failure count and recent changes */
  public JsonArray describe() {
    JsonArray all = new JsonArray();
    breakers.values().stream().sorted(java.util.Comparator.comparing(b -> b.breaker.name())).forEach(b -> all.add(b.toJson()));
    return all;
  }

  /** @return the state of one breaker, {@link CircuitBreakerState#CLOSED} for one not used yet */
  public CircuitBreakerState state(String service) {
    Breaker b = breakers.get(service);
    return b == null ? CircuitBreakerState.CLOSED : b.breaker.state();
  }

  /** Closes every breaker (cancels their timers). */
  public void close() {
    breakers.values().forEach(b -> b.breaker.close());
    breakers.clear();
  }

  private Breaker breaker(String service) {
    return breakers.computeIfAbsent(service, this::create);
  }

  private Breaker create(String service) {
    CircuitBreaker cb = CircuitBreaker.create(service, vertx, options.toVertx())
        .retryPolicy(RetryPolicy.exponentialDelayWithJitter(options.retryDelayMs(), options.retryDelayMs() * 32));
    Breaker breaker = new Breaker(cb);
    cb.openHandler(v -> breaker.changed(CircuitBreakerState.OPEN))
        .halfOpenHandler(v -> breaker.changed(CircuitBreakerState.HALF_OPEN))
        .closeHandler(v -> breaker.changed(CircuitBreakerState.CLOSED));
    return breaker;
  }

  private record Answer<T>(T value, Throwable failure) {
    static <T> Answer<T> ok(T value) {
      return new Answer<>(value, null);
    }

    static <T> Answer<T> refused(Throwable failure) {
      return new Answer<>(null, failure);
    }
  }

  private static final class Breaker {
    private final CircuitBreaker breaker;
    private final Deque<JsonObject> changes = new ArrayDeque<>();

    Breaker(CircuitBreaker breaker) {
      this.breaker = breaker;
    }

    synchronized void changed(CircuitBreakerState state) {
      log.info("circuit breaker '{}' is now {} (failures: {})", breaker.name(), state, breaker.failureCount());
      changes.addLast(new JsonObject().put("state", apiName(state)).put("at", Instant.now().toString()));
      while (changes.size() > KEPT_CHANGES) {
        changes.removeFirst();
      }
    }

    synchronized JsonObject toJson() {
      return new JsonObject()
          .put("name", breaker.name())
          .put("state", apiName(breaker.state()))
          .put("failureCount", breaker.failureCount())
          .put("changes", new JsonArray(List.copyOf(changes)));
    }
  }

  static String apiName(CircuitBreakerState state) {
    return state.name().toLowerCase(java.util.Locale.ROOT);
  }
}
