package io.herald.broker;

import java.util.LinkedHashMap;
import java.util.Map;

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

  /**
   * @param reason   the last error
   * @param attempts how many times the message was tried
   * @param group    the consumer group that gave up on it
   * @param origin   where it was read from, as {@link RawMessage#destination()} says
   * @return the four headers of a dead letter, in this order: reason, attempts, group, origin
   */
  public static Map<String, String> of(Throwable reason, int attempts, String group, String origin) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(REASON, reason(reason));
    headers.put(ATTEMPTS, Integer.toString(attempts));
    headers.put(GROUP, group);
    headers.put(ORIGIN, origin);
    return headers;
  }

  /** @return the text of a dead letter's reason: the error's message, or its class when it has none */
  public static String reason(Throwable reason) {
    return reason == null ? "unknown" : reason.getMessage() != null ? reason.getMessage() : reason.getClass().getName();
  }
}
