package io.herald.saga;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.function.Function;

/**
 * One step of a saga: a call to the service that owns it, and how to undo it.
 *
 * @param name         the step's name in the saga's history
 * @param service      the service called, which is also the name of the breaker the call goes through
 * @param action       the call; given the saga, it answers what to merge into the saga's data. It must be
 *                     idempotent: after a crash or a timeout it runs again and must answer the first outcome.
 * @param compensation undoes the step, or {@code null} when nothing needs undoing; it must be idempotent too, and
 *                     is retried until it succeeds or the service refuses it
 * @param pivot        whether the step is the saga's point of no return (it cannot be undone, e.g. goods shipped):
 *                     once it may have taken effect, the saga only goes forward; later failures are retried with
 *                     backoff until they succeed, never compensated, and the deadline no longer applies
 */
public record SagaStep(String name, String service, Function<SagaState, Future<JsonObject>> action,
                       Function<SagaState, Future<Void>> compensation, boolean pivot) {

  public SagaStep {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(action, "action");
    if (pivot && compensation != null) {
      throw new IllegalArgumentException("step " + name + " is a point of no return: it cannot have a compensation");
    }
  }

  /** A step that can be undone (or needs no undoing): not a point of no return. */
  public SagaStep(String name, String service, Function<SagaState, Future<JsonObject>> action,
                  Function<SagaState, Future<Void>> compensation) {
    this(name, service, action, compensation, false);
  }

  /** @return a step that cannot be undone: once it may have taken effect, the saga only goes forward */
  public static SagaStep pivot(String name, String service, Function<SagaState, Future<JsonObject>> action) {
    return new SagaStep(name, service, action, null, true);
  }
}
