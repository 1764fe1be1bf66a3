package io.herald.command;

import java.util.Arrays;

/**
 * Why a command or query failed, as carried in the event bus reply's failure code. The codes are the HTTP status
 * codes the gateway answers with, so a failure keeps its meaning across the bus and across nodes.
 */
public enum CommandFailure {
  /** The request names a field or value the service does not accept. */
  INVALID(400),
  /** A payment was refused (a declined card). */
  PAYMENT_REQUIRED(402),
  /** The id it names does not exist. */
  NOT_FOUND(404),
  /** The aggregate's state refuses it (an invalid transition, a concurrent change, a duplicate). */
  CONFLICT(409),
  /** An unexpected error inside the service; its log has the details. */
  INTERNAL(500),
  /**
   * The service is healthy but its queue is full: it did nothing, and the same command may be sent again after a
   * short wait. Callers retry it with backoff; it never counts as a fault of the service (breakers stay closed).
   */
  BUSY(429),
  /** An event the command would store is larger than the store takes ({@code store.maxEventBytes}); nothing was stored. */
  TOO_LARGE(422),
  /** The service, or something it needs (the store), cannot be reached. */
  UNAVAILABLE(503),
  /** The service did not answer in time. */
  TIMEOUT(504);

  private final int code;

  CommandFailure(int code) {
    this.code = code;
  }

  /** @return the failure code on the bus, which is also the HTTP status */
  public int code() {
    return code;
  }

  /** @return the failure with this code; unknown codes are {@link #INTERNAL} */
  public static CommandFailure ofCode(int code) {
    return Arrays.stream(values()).filter(f -> f.code == code).findFirst().orElse(INTERNAL);
  }
}
