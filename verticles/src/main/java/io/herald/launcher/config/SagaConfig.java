package io.herald.launcher.config;

import io.herald.saga.BreakerOptions;
import io.herald.saga.SagaOptions;

/**
 * Sagas ({@code saga.*}).
 *
 * @param mode           orchestrated by a saga verticle, or choreographed through events
 * @param checkpointName the name under which the saga service keeps its position in the store's order
 * @param stepTimeoutMs  how long the orchestrator waits for a service to answer one step (and, choreographed, the
 *                       deadline sweeper for one compensating command), in milliseconds
 * @param sweepIntervalMs choreographed: how often the saga service looks for sagas past their deadline, in milliseconds
 * @param engine         deadline and compensation retry of every saga
 * @param breaker        the circuit breaker in front of each service the orchestrator calls
 */
public record SagaConfig(SagaMode mode, String checkpointName, long stepTimeoutMs, long sweepIntervalMs, SagaOptions engine,
                         BreakerOptions breaker) {

  static SagaConfig read(ConfigValues values) {
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
              values.longValue(s + "compensationRetry.capMs", 10_000, 1, maxMs)),
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
}
