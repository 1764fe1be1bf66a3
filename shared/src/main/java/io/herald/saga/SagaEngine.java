package io.herald.saga;

import io.herald.broker.Backoff;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sagas: the steps in order, each through the breaker of its service; on a failure, or once the deadline has
 * passed, the compensations of every step that may have taken effect, in reverse. The state is saved before each
 * step, so a saga found unfinished after a crash is resumed by running its current step again (steps are
 * idempotent). A compensation that fails is tried again with backoff until it succeeds: it is never dropped, and a
 * saga ends either completed or compensated, never both.
 */
public final class SagaEngine {

  private static final Logger log = LoggerFactory.getLogger(SagaEngine.class);

  private final Vertx vertx;
  private final SagaStore store;
  private final BreakerRegistry breakers;
  private final List<SagaStep> steps;
  private final SagaOptions options;
  private final Predicate<Throwable> didNothing;
  private final Backoff backoff;
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;

  /**
   * @param steps      the saga's steps in order; the first one is done when a saga starts
   * @param didNothing tells a step failure that certainly left nothing to undo (a refusal, nobody listening)
   *                   from one that may have taken effect (a timeout); an open breaker never ran the call
   */
  public SagaEngine(Vertx vertx, SagaStore store, BreakerRegistry breakers, List<SagaStep> steps, SagaOptions options,
                    Predicate<Throwable> didNothing) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.breakers = Objects.requireNonNull(breakers, "breakers");
    this.steps = List.copyOf(steps);
    this.options = Objects.requireNonNull(options, "options");
    this.didNothing = Objects.requireNonNull(didNothing, "didNothing");
    this.backoff = new Backoff(options.compensationRetryBaseMs(), options.compensationRetryCapMs());
    if (this.steps.isEmpty()) {
      throw new IllegalArgumentException("a saga needs at least one step");
    }
  }

  /** @return the first step, the one a saga has done when it starts */
  public String firstStep() {
    return steps.get(0).name();
  }

  /** @return the deadline of a saga starting at {@code at} */
  public Instant deadlineFrom(Instant at) {
    return at.plusMillis(options.deadlineMs());
  }

  /**
   * Stores new sagas and sets them running; sagas already stored are left alone.
   *
   * @return once stored, the sagas that were new (they run on after this future completes)
   */
  public Future<List<SagaState>> start(List<SagaState> sagas) {
    return store.createAll(sagas).onSuccess(created -> created.forEach(this::run));
  }

  /** Resumes every unfinished saga in the store. @return how many */
  public Future<Integer> resumeUnfinished() {
    return store.unfinished().map(found -> {
      if (!found.isEmpty()) {
        log.info("resuming {} unfinished saga(s)", found.size());
      }
      found.forEach(this::run);
      return found.size();
    });
  }

  /** @return how many sagas are running in this process */
  public int inFlight() {
    return active.size();
  }

  /** Stops moving sagas at their next step; their stored state lets another run resume them. */
  public void stop() {
    stopped = true;
  }

  private void run(SagaState saga) {
    if (stopped || saga.status().finished() || !active.add(saga.id())) {
      return;
    }
    Future<SagaState> done = saga.status() == SagaStatus.COMPENSATING ? compensate(saga) : forward(saga);
    done.onComplete(ar -> {
      active.remove(saga.id());
      if (ar.failed() && !stopped) {
        log.error("saga {} stopped unexpectedly; it resumes on the next start", saga.id(), ar.cause());
      }
    });
  }

  private Future<SagaState> forward(SagaState saga) {
    if (stopped) {
      return Future.succeededFuture(saga);
    }
    SagaStep next = nextStep(saga);
    Instant now = Instant.now();
    if (next == null) {
      return persist(saga.finish(SagaStatus.COMPLETED, now));
    }
    if (now.isAfter(saga.deadline())) {
      return compensate(saga.compensating("saga deadline passed before step " + next.name(), now));
    }
    SagaState running = saga.running(next.name(), now);
    return persist(running)
        .compose(saved -> stopped ? Future.succeededFuture(saved) : breakers.call(next.service(), () -> next.action().apply(saved))
            .transform(ar -> ar.succeeded()
                ? forward(saved.ended(new SagaEntry(next.name(), SagaEntry.DONE, Instant.now(), null), ar.result()))
                : stopped ? Future.succeededFuture(saved) : failed(saved, next, ar.cause())));
  }

  private Future<SagaState> failed(SagaState saga, SagaStep step, Throwable err) {
    boolean nothing = err instanceof OpenCircuitException || didNothing.test(err);
    String reason = reason(step, err);
    Instant now = Instant.now();
    SagaState ended = saga.ended(new SagaEntry(step.name(), nothing ? SagaEntry.FAILED : SagaEntry.UNKNOWN, now, reason), null);
    return compensate(ended.compensating(reason, now));
  }

  private static String reason(SagaStep step, Throwable err) {
    if (err instanceof OpenCircuitException) {
      return step.service() + " unavailable: circuit breaker open";
    }
    if (err instanceof io.vertx.circuitbreaker.TimeoutException) {
      return step.service() + " did not answer " + step.name() + " in time";
    }
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }

  private SagaStep nextStep(SagaState saga) {
    for (SagaStep step : steps) {
      SagaEntry outcome = saga.outcomeOf(step.name());
      if (outcome == null || !SagaEntry.DONE.equals(outcome.outcome())) {
        return step;
      }
    }
    return null;
  }

  private Future<SagaState> compensate(SagaState saga) {
    return persist(saga).compose(saved -> undo(saved, steps.size() - 1));
  }

  /** Undoes the steps from {@code index} down to the first, one after the other. */
  private Future<SagaState> undo(SagaState saga, int index) {
    if (stopped) {
      return Future.succeededFuture(saga);
    }
    if (index < 0) {
      return persist(saga.finish(SagaStatus.COMPENSATED, Instant.now()));
    }
    SagaStep step = steps.get(index);
    SagaEntry outcome = saga.outcomeOf(step.name());
    if (step.compensation() == null || outcome == null || !outcome.needsCompensation() || saga.compensationDone(step.name())) {
      return undo(saga, index - 1);
    }
    return untilDone(saga, step, 1)
        .compose(attempts -> persist(saga.compensated(new SagaEntry(step.name(), SagaEntry.DONE, Instant.now(),
            attempts > 1 ? "after " + attempts + " attempts" : null))))
        .compose(next -> undo(next, index - 1));
  }

  private Future<Integer> untilDone(SagaState saga, SagaStep step, int attempt) {
    return breakers.call(step.service(), () -> step.compensation().apply(saga))
        .map(v -> attempt)
        .recover(err -> {
          if (stopped) {
            return Future.failedFuture(err);
          }
          long delay = backoff.delayMs(attempt);
          log.warn("saga {}: compensation of {} failed (attempt {}), trying again in {} ms: {}", saga.id(), step.name(), attempt,
              delay, err.getMessage());
          return vertx.timer(delay).compose(v -> untilDone(saga, step, attempt + 1));
        });
  }

  /** Saves, trying again with backoff while the store is unavailable: a saga's progress is never dropped. */
  private Future<SagaState> persist(SagaState saga) {
    return persist(saga, 1);
  }

  private Future<SagaState> persist(SagaState saga, int attempt) {
    return store.save(saga).map(saga).recover(err -> {
      if (stopped) {
        return Future.failedFuture(err);
      }
      long delay = backoff.delayMs(attempt);
      log.warn("saga {} not saved (attempt {}), trying again in {} ms: {}", saga.id(), attempt, delay, err.getMessage());
      return vertx.timer(delay).compose(v -> persist(saga, attempt + 1));
    });
  }

}
