package io.herald.delivery;

import io.herald.async.Backoff;
import io.vertx.core.json.JsonObject;

/**
 * How a consumer retries a failing event before giving up on it: {@code maxAttempts} tries in all, separated by
 * exponential backoff with jitter between half and all of {@code min(capMs, baseMs * 2^(n-1))}; then the event
 * becomes a dead letter. Read from the {@code delivery} config section.
 *
 * @param maxAttempts tries in all, the first one included; at least 1
 * @param baseMs      delay before the second try (at most), in milliseconds
 * @param capMs       largest delay between two tries, in milliseconds
 */
public record RetryPolicy(int maxAttempts, long baseMs, long capMs) {

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final long DEFAULT_BASE_MS = 200;
  public static final long DEFAULT_CAP_MS = 10_000;

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("delivery.maxAttempts must be >= 1, was " + maxAttempts);
    }
    if (baseMs < 1) {
      throw new IllegalArgumentException("delivery.retryBaseMs must be >= 1, was " + baseMs);
    }
    if (capMs < baseMs) {
      throw new IllegalArgumentException("delivery.retryCapMs (" + capMs + ") must be >= delivery.retryBaseMs (" + baseMs + ")");
    }
  }

  public static RetryPolicy defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads {@code maxAttempts}, {@code retryBaseMs} and {@code retryCapMs}; absent keys take their defaults. */
  public static RetryPolicy fromJson(JsonObject json) {
    return new RetryPolicy(json.getInteger("maxAttempts", DEFAULT_MAX_ATTEMPTS),
        json.getLong("retryBaseMs", DEFAULT_BASE_MS), json.getLong("retryCapMs", DEFAULT_CAP_MS));
  }

  public Backoff backoff() {
    return new Backoff(baseMs, capMs);
  }
}
