package io.herald.ordersaga;

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

  /** The service is healthy but its queue is full: it did nothing, and the same command may be sent again later. */
  static boolean busy(Throwable err) {
    return err instanceof CommandFailedException failed && failed.failure() == CommandFailure.BUSY;
  }

  /**
   * What passes through a breaker as an answer, not a fault: a refusal, or a busy service (healthy, just full). The
   * caller still sees the failure and decides (a busy step is retried after a wait).
   */
  static boolean answered(Throwable err) {
    return refusal(err) || busy(err);
  }

  /** A failure that certainly changed nothing: a refusal, a busy service, or a command nobody received. A timeout may have. */
  static boolean didNothing(Throwable err) {
    return refusal(err) || busy(err) || err instanceof CommandFailedException failed && failed.failure() == CommandFailure.UNAVAILABLE
        && failed.getCause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }
}
