package io.herald.saga;

import io.herald.command.CommandFailedException;
import io.herald.command.CommandFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** How the saga reads a failed command: a business answer, or a fault whose effect is unknown. */
final class StepFailures {

  private StepFailures() {
  }

  /** A refusal by the service (declined, out of stock, invalid transition): it answered, so its breaker stays closed. */
  static boolean refusal(Throwable err) {
    if (!(err instanceof CommandFailedException failed)) {
      return false;
    }
    return switch (failed.failure()) {
      case INVALID, PAYMENT_REQUIRED, NOT_FOUND, CONFLICT -> true;
      default -> false;
    };
  }

  /** A failure that certainly changed nothing: a refusal, or a command nobody received. A timeout may have. */
  static boolean didNothing(Throwable err) {
    return refusal(err) || err instanceof CommandFailedException failed && failed.failure() == CommandFailure.UNAVAILABLE
        && failed.getCause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }
}
