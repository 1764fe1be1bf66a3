package io.herald.broker;

/**
 * The headers (or entry fields) every adapter adds to a dead letter, beside the original message's own: one name
 * scheme on every broker, so tools read a dead letter the same way wherever it was written.
 */
public final class DeadLetterHeaders {

  /** What every dead-letter header starts with. */
  public static final String PREFIX = "herald-dead-letter-";
  /** The last error, as text. */
  public static final String REASON = PREFIX + "reason";
  /** How many times the message was tried. */
  public static final String ATTEMPTS = PREFIX + "attempts";
  /** The consumer group that gave up on it. */
  public static final String GROUP = PREFIX + "group";
  /** Where it was read from (topic, queue, stream or subject). */
  public static final String ORIGIN = PREFIX + "origin";

  private DeadLetterHeaders() {
  }
}
