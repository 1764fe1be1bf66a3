package io.herald.launcher.config;

/**
 * The public HTTP API ({@code api.*}).
 *
 * @param bodyLimitBytes        largest request body accepted; larger ones get 413
 * @param commandTimeoutMs      how long the gateway waits for a service to answer, in milliseconds
 * @param readWaitMs            longest a read with {@code minPosition} waits for its read model, in milliseconds
 * @param idempotencyTtlSeconds how long the result of a request with an {@code Idempotency-Key} is kept, in seconds
 * @param idempotencyStaleMs    how long a key whose request has no known outcome yet (still running, timed out, lost
 *                              in a crash) answers "in progress" before a retry runs the command again, in milliseconds
 */
public record ApiConfig(int bodyLimitBytes, long commandTimeoutMs, long readWaitMs, long idempotencyTtlSeconds,
                        long idempotencyStaleMs) {

  static ApiConfig read(ConfigValues values) {
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
        staleMs);
  }
}
