package io.herald.launcher.config;

/**
 * The public HTTP API ({@code api.*}).
 *
 * @param bodyLimitBytes        largest request body accepted; larger ones get 413
 * @param commandTimeoutMs      how long the gateway waits for a service to answer, in milliseconds
 * @param readWaitMs            longest a read with {@code minPosition} waits for its read model, in milliseconds
 * @param idempotencyTtlSeconds how long the result of a request with an {@code Idempotency-Key} is kept, in seconds
 */
public record ApiConfig(int bodyLimitBytes, long commandTimeoutMs, long readWaitMs, long idempotencyTtlSeconds) {

  static ApiConfig read(ConfigValues values) {
    return new ApiConfig(
        values.integer("api.bodyLimitBytes", 65_536, 1_024, 64 * 1024 * 1024),
        values.longValue("api.commandTimeoutMs", 5_000, 1, 600_000),
        values.longValue("api.readWaitMs", 5_000, 0, 600_000),
        values.longValue("api.idempotencyTtlSeconds", 86_400, 1, 365L * 86_400));
  }
}
