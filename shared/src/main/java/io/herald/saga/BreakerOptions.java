package io.herald.saga;

import io.vertx.circuitbreaker.CircuitBreakerOptions;

/**
 * Settings shared by the breakers of a {@link BreakerRegistry}.
 *
 * @param maxFailures    consecutive failures that open a breaker
 * @param timeoutMs      a call not answered within this long is a failure, in milliseconds
 * @param resetTimeoutMs how long an open breaker refuses calls before it lets one through (half-open), in milliseconds
 * @param maxRetries     how often a failed call is tried again before it counts as failed; 0 for never
 * @param retryDelayMs   first delay before a retry, in milliseconds; doubles with jitter
 */
public record BreakerOptions(int maxFailures, long timeoutMs, long resetTimeoutMs, int maxRetries, long retryDelayMs) {

  public BreakerOptions {
    if (maxFailures < 1 || timeoutMs < 1 || resetTimeoutMs < 1 || maxRetries < 0 || retryDelayMs < 1) {
      throw new IllegalArgumentException("breaker options out of range: " + this);
    }
  }

  CircuitBreakerOptions toVertx() {
    return new CircuitBreakerOptions()
        .setMaxFailures(maxFailures)
        .setTimeout(timeoutMs)
        .setResetTimeout(resetTimeoutMs)
        .setMaxRetries(maxRetries)
        .setNotificationAddress(null);   // state changes are recorded here, not broadcast on the event bus
  }
}
