package io.herald.saga;

import io.herald.async.Backoff;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sagas: the steps in order, each through the breaker of its service; on a failure, or once the deadline has
 * passed, the compensations of every step that may have taken effect, in reverse, each through a breaker of its
 * own ({@code <service>.compensation}), so compensations succeeding do not hide the faults of forward calls. The state
 * is saved before each step, so a saga found unfinished after a crash is resumed by running its current step again
 * (steps are idempotent); a step that was in flight is recorded as of unknown outcome, so that it is compensated if
 * the saga compensates.
 *
 * <p>A step flagged as a {@linkplain SagaStep#pivot() point of no return} ends the way back: once it may have taken
 * effect, the saga only goes forward, retrying failed steps with backoff until they succeed, whatever the deadline.
 * A service that answers busy is asked again after a backoff wait, which pushes the deadline back by as long. At
 * most {@link SagaOptions#maxRunning()} sagas move at once; the others wait their turn, with their deadline pushed
 * back by the wait, so a burst does not pile more calls on a service than it answers within a step's timeout. A
 * compensation that fails is tried again with backoff until it succeeds; one the service refuses (a business
 * answer, e.g. a cancel of an order already shipped) is recorded and the saga goes on undoing the others. A saga
 * ends either completed or compensated, never both.
 */
public final class SagaEngine {

  private static final Logger log = LoggerFactory.getLogger(SagaEngine.class);
  /** Suffix of the breaker compensations go through: {@code payment.compensation} beside {@code payment}. */
  public static final String COMPENSATION_BREAKER_SUFFIX = ".compensation";

  private final Vertx vertx;
  private final SagaStore store;
  private final BreakerRegistry breakers;
  private final List<SagaStep> steps;
  private final SagaOptions options;
  private final SagaFailures failures;
  private final Backoff backoff;
  private final Set<String> active = ConcurrentHashMap.newKeySet();   // moving now, or waiting their turn
  private final Deque<Waiting> waiting = new ArrayDeque<>();          // guarded by this
  private int moving;                                                 // guarded by this
  private volatile boolean stopped;

  /** A saga waiting for one of the {@link SagaOptions#maxRunning()} places, since {@code sinceNanos}. */
  private record Waiting(SagaState saga, long sinceNanos) {
  }

  /**
   * @param steps    the saga's steps in order; the first one is done when a saga starts
   * @param failures how to read a failed step or compensation: a refusal, nothing done, busy, or an unknown effect
   */
  public SagaEngine(Vertx vertx, SagaStore store, BreakerRegistry breakers, List<SagaStep> steps, SagaOptions options,
                    SagaFailures failures) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.breakers = Objects.requireNonNull(breakers, "breakers");
    this.steps = List.copyOf(steps);
    this.options = Objects.requireNonNull(options, "options");
    this.failures = Objects.requireNonNull(failures, "failures");
    this.backoff = new Backoff(options.compensationRetryBaseMs(), options.compensationRetryCapMs());
    if (this.steps.isEmpty()) {
      throw new IllegalArgumentException("a saga needs at least one step");
    }
  }

  /** @return the name of the breaker the compensations of {@code service} go through */
  public static String compensationBreaker(String service) {
    return service + COMPENSATION_BREAKER_SUFFIX;
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
      found.forEach(saga -> run(interrupted(saga)));
      return found.size();
    });
  }

  /** @return how many sagas are in flight in this process: moving, or waiting their turn to move */
  public int inFlight() {
    return active.size();
  }

  /** @return how many of them wait for a place among {@link SagaOptions#maxRunning()} */
  public synchronized int waiting() {
    return waiting.size();
  }

  /** Stops moving sagas at their next step; their stored state lets another run resume them. */
  public void stop() {
    stopped = true;
  }

  private void run(SagaState saga) {
    if (stopped || saga.status().finished() || !active.add(saga.id())) {
      return;
    }
    synchronized (this) {
      if (moving >= options.maxRunning()) {
        waiting.add(new Waiting(saga, System.nanoTime()));
        return;
      }
      moving++;
    }
    move(saga);
  }

  private void move(SagaState saga) {
    Future<SagaState> done = saga.status() == SagaStatus.COMPENSATING ? compensate(saga) : forward(saga);
    done.onComplete(ar -> {
      active.remove(saga.id());
      if (ar.failed() && !stopped) {
        log.error("saga {} stopped unexpectedly; it resumes on the next start", saga.id(), ar.cause());
      }
      Waiting next;
      synchronized (this) {
        next = stopped ? null : waiting.poll();
        if (next == null) {
          moving--;
        }
      }
      if (next != null) {
        // its turn: the time it waited was not spent on its work, so its deadline moves back by as long
        move(next.saga().postponed(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - next.sinceNanos())));
      }
    });
  }

  /**
   * A saga stopped while a step was in flight (a crash, a shutdown): whether the step took effect is unknown, so it
   * is recorded as such. Run again it answers its first outcome; compensated, it is undone like a done step.
   */
  private static SagaState interrupted(SagaState saga) {
    if (saga.status() != SagaStatus.RUNNING || saga.step() == null) {
      return saga;
    }
    SagaEntry outcome = saga.outcomeOf(saga.step());
    if (outcome != null && !SagaEntry.FAILED.equals(outcome.outcome())) {
      return saga;   // done, or already recorded as unknown
    }
    log.info("saga {}: step {} was in flight when the node stopped; its outcome is unknown", saga.id(), saga.step());
    return saga.ended(new SagaEntry(saga.step(), SagaEntry.UNKNOWN, Instant.now(), "in flight when the node stopped"), null);
  }

  /** @return whether a point of no return may have taken effect: the saga then only goes forward */
  private boolean pastPivot(SagaState saga) {
    for (SagaStep step : steps) {
      if (step.pivot() && saga.mayHaveTakenEffect(step.name())) {
        return true;
      }
    }
    return false;
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
    if (now.isAfter(saga.deadline()) && !pastPivot(saga)) {
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
    if (failures.busy().test(err)) {
      // it did nothing: ask again later, and the wait does not use up the deadline
      long delay = backoff.delayMs(saga.attempts());
      log.info("saga {}: {} is busy, {} again in {} ms (deadline pushed back as long)", saga.id(), step.service(), step.name(),
          delay);
      return persist(saga.postponed(delay)).compose(saved -> vertx.timer(delay).compose(v -> forward(saved)));
    }
    boolean nothing = err instanceof OpenCircuitException || failures.didNothing().test(err);
    String reason = reason(step, err);
    if (pastPivot(saga) || step.pivot() && !nothing) {
      // nothing before the point of no return may be undone any more: only going forward ends the saga
      long delay = backoff.delayMs(saga.attempts());
      log.warn("saga {}: {} failed past the point of no return (attempt {}), trying again in {} ms: {}", saga.id(),
          step.name(), saga.attempts(), delay, reason);
      // the point of no return itself may have taken effect: recorded, so that the deadline no longer applies
      SagaState again = step.pivot() ? saga.ended(new SagaEntry(step.name(), SagaEntry.UNKNOWN, Instant.now(), reason), null)
          : saga;
      return vertx.timer(delay).compose(v -> forward(again));
    }
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
    if (step.compensation() == null || !saga.mayHaveTakenEffect(step.name()) || saga.compensationEnded(step.name())) {
      return undo(saga, index - 1);
    }
    return untilDone(saga, step, 1)
        .compose(entry -> persist(saga.compensated(entry)))
        .compose(next -> undo(next, index - 1));
  }

  /** Runs a compensation until it succeeds or the service refuses it for good; faults and busy answers are retried. */
  private Future<SagaEntry> untilDone(SagaState saga, SagaStep step, int attempt) {
    return breakers.call(compensationBreaker(step.service()), () -> step.compensation().apply(saga))
        .map(v -> new SagaEntry(step.name(), SagaEntry.DONE, Instant.now(), attempt > 1 ? "after " + attempt + " attempts" : null))
        .recover(err -> {
          if (stopped) {
            return Future.failedFuture(err);
          }
          if (failures.refusal().test(err) && !failures.busy().test(err)) {
            // a business answer: asking again changes nothing, so it is recorded for a person to look at
            log.warn("saga {}: {} refused the compensation of {}; recorded, not retried: {}", saga.id(), step.service(),
                step.name(), err.getMessage());
            return Future.succeededFuture(new SagaEntry(step.name(), SagaEntry.FAILED, Instant.now(),
                "refused: " + reason(step, err)));
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
      if (stopped || err instanceof io.herald.lease.RoleFencedException) {   // another process holds the sagas now
        return Future.failedFuture(err);
      }
      long delay = backoff.delayMs(attempt);
      log.warn("saga {} not saved (attempt {}), trying again in {} ms: {}", saga.id(), attempt, delay, err.getMessage());
      return vertx.timer(delay).compose(v -> persist(saga, attempt + 1));
    });
  }

}
