package io.herald.launcher.config;

import io.herald.delivery.Consumers;
import io.herald.delivery.RetryPolicy;

/**
 * How consumers retry and give up ({@code delivery.*}).
 *
 * @param retry            tries per event and the backoff between them; then the event is a dead letter
 * @param redriveTimeoutMs how long a dead-letter redrive may take, in milliseconds
 * @param maxMessageBytes  the largest message a consumer group hands to its handler; a larger one is a dead letter
 */
public record DeliveryConfig(RetryPolicy retry, long redriveTimeoutMs, int maxMessageBytes) {

  static DeliveryConfig read(ConfigValues values) {
    long maxMs = 3_600_000;
    try {
      return new DeliveryConfig(new RetryPolicy(
          values.integer("delivery.maxAttempts", RetryPolicy.DEFAULT_MAX_ATTEMPTS, 1, 1_000),
          values.longValue("delivery.retryBaseMs", RetryPolicy.DEFAULT_BASE_MS, 1, maxMs),
          values.longValue("delivery.retryCapMs", RetryPolicy.DEFAULT_CAP_MS, 1, maxMs)),
          values.longValue("delivery.redriveTimeoutMs", 10_000, 1, maxMs),
          values.integer("delivery.maxMessageBytes", Consumers.DEFAULT_MAX_MESSAGE_BYTES, 1, Integer.MAX_VALUE));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid delivery settings: " + e.getMessage());
    }
  }
}
