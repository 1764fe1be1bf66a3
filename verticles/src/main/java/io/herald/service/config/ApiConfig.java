package io.herald.service.config;

/**
 * The public HTTP API ({@code api.*}).
 *
 * @param bodyLimitBytes        largest request body accepted; larger ones get 413
 * @param commandTimeoutMs      how long the gateway waits for a service to answer, in milliseconds
 * @param readWaitMs            longest a read with {@code minPosition} waits for its read model, in milliseconds
 * @param idempotencyTtlSeconds how long the result of a request with an {@code Idempotency-Key} is kept, in seconds
 * @param idempotencyStaleMs    how long a key whose request has no known outcome yet (still running, timed out, lost
 *                              in a crash) answers "in progress" before a retry runs the command again, in milliseconds
 * @param writeRateLimitPerSecond commands a second one caller (token, or address when auth is off) may send; 0: no limit
 * @param writeRateLimitBurst     commands one caller may send at once before the rate applies
 */
public record ApiConfig(int bodyLimitBytes, long commandTimeoutMs, long readWaitMs, long idempotencyTtlSeconds,
                        long idempotencyStaleMs, double writeRateLimitPerSecond, int writeRateLimitBurst) {
}
