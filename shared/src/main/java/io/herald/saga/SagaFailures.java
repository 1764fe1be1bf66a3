package io.herald.saga;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * How a {@link SagaEngine} reads the failure of a step or compensation.
 *
 * @param refusal    a business answer (declined, out of stock, an invalid transition): the service did nothing and
 *                   asking again changes nothing, so a refused compensation is recorded, not retried
 * @param didNothing a failure that certainly left nothing to undo (a refusal, nobody listening); any other (a
 *                   timeout) may have taken effect. An open breaker never ran the call, whatever this says
 * @param busy       the service is healthy but its queue is full: it did nothing, and the same call is made again
 *                   after a wait that does not count against the saga's deadline
 */
public record SagaFailures(Predicate<Throwable> refusal, Predicate<Throwable> didNothing, Predicate<Throwable> busy) {

  public SagaFailures {
    Objects.requireNonNull(refusal, "refusal");
    Objects.requireNonNull(didNothing, "didNothing");
    Objects.requireNonNull(busy, "busy");
  }
}
