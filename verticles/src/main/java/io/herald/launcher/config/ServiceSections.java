package io.herald.launcher.config;

import io.herald.saga.BreakerOptions;
import io.herald.saga.SagaOptions;
import io.herald.service.config.ApiConfig;
import io.herald.service.config.BackpressureConfig;
import io.herald.service.config.InventoryConfig;
import io.herald.service.config.MetricsConfig;
import io.herald.service.config.OrderConfig;
import io.herald.service.config.PaymentConfig;
import io.herald.service.config.SagaConfig;
import io.herald.service.config.SagaMode;

/** Reads the sections of the config that services get in their {@code ServiceConfig}; the records live with the services. */
final class ServiceSections {

  private ServiceSections() {
  }

  static ApiConfig api(ConfigValues values) {
    long commandTimeoutMs = values.longValue("api.commandTimeoutMs", 5_000, 1, 600_000);
    long ttlSeconds = values.longValue("api.idempotencyTtlSeconds", 86_400, 1, 365L * 86_400);
    long staleMs = values.longValue("api.idempotencyStaleMs", Math.max(60_000, commandTimeoutMs), 1, 365L * 86_400_000);
    // sooner, a retry would run a command again while the first request may still be waiting for it
    if (staleMs < commandTimeoutMs) {
      throw new ConfigException("config key 'api.idempotencyStaleMs' must be at least api.commandTimeoutMs ("
          + commandTimeoutMs + " ms), got " + staleMs);
    }
    return new ApiConfig(
        values.integer("api.bodyLimitBytes", 65_536, 1_024, 64 * 1024 * 1024),
        commandTimeoutMs,
        values.longValue("api.readWaitMs", 5_000, 0, 600_000),
        ttlSeconds,
        staleMs,
        values.integer("api.writeRateLimit.perSecond", 1_000, 0, 1_000_000),
        values.integer("api.writeRateLimit.burst", 2_000, 1, 10_000_000));
  }

  static BackpressureConfig backpressure(ConfigValues values) {
    return new BackpressureConfig(
        values.longValue("backpressure.reportIntervalMs", 200, 10, 60_000),
        values.integer("backpressure.maxQueued", 5_000, 1, 10_000_000),
        values.integer("backpressure.retryAfterSeconds", 1, 1, 3_600));
  }

  static SagaConfig saga(ConfigValues values) {
    String s = "saga.";
    long maxMs = 3_600_000;
    try {
      return new SagaConfig(
          values.enumValue(s + "mode", SagaMode.class, SagaMode.ORCHESTRATION),
          values.nonBlankString(s + "checkpointName", "saga"),
          values.longValue(s + "stepTimeoutMs", 2_000, 1, maxMs),
          values.longValue(s + "sweepIntervalMs", 1_000, 1, maxMs),
          new SagaOptions(
              values.longValue(s + "deadlineMs", 30_000, 1, maxMs),
              values.longValue(s + "compensationRetry.baseMs", 200, 1, maxMs),
              values.longValue(s + "compensationRetry.capMs", 10_000, 1, maxMs),
              values.integer(s + "maxRunning", SagaOptions.DEFAULT_MAX_RUNNING, 1, 1_000_000)),
          new BreakerOptions(
              values.integer(s + "breaker.maxFailures", 5, 1, 1_000_000),
              values.longValue(s + "breaker.timeoutMs", 2_500, 1, maxMs),
              values.longValue(s + "breaker.resetTimeoutMs", 5_000, 1, maxMs),
              values.integer(s + "breaker.maxRetries", 0, 0, 100),
              values.longValue(s + "breaker.retryDelayMs", 100, 1, maxMs)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid saga settings: " + e.getMessage());
    }
  }

  static PaymentConfig payment(ConfigValues values) {
    return new PaymentConfig(
        values.longValue("payment.timeoutMs", 2_000, 1, 600_000),
        values.longValue("payment.slowDelayMs", 5_000, 0, 600_000));
  }

  static OrderConfig order(ConfigValues values) {
    return new OrderConfig(values.integer("order.snapshotEvery", 50, 1, 1_000_000));
  }

  static InventoryConfig inventory(ConfigValues values) {
    return new InventoryConfig(
        values.integer("inventory.maxBatch", 500, 1, 100_000),
        values.integer("inventory.maxQueuedPerSku", 2_000, 1, 1_000_000),
        values.integer("inventory.cachedSkus", 10_000, 0, 10_000_000));
  }

  static MetricsConfig metrics(ConfigValues values) {
    return new MetricsConfig(values.longValue("metrics.sampleIntervalMs", MetricsConfig.DEFAULT_SAMPLE_INTERVAL_MS, 100, 3_600_000));
  }
}
