package io.herald.service.config;

/**
 * Load shedding at the HTTP edge ({@code backpressure.*}): services report how many commands they have queued, and
 * while one of them is past the bound the gateway answers new orders 503 with {@code Retry-After} instead of
 * accepting work that would wait behind the queue.
 *
 * @param reportIntervalMs  how often each service reports its queue depth, in milliseconds; a report older than
 *                          three intervals no longer counts (its node may be gone)
 * @param maxQueued         the bound: commands queued in one service (sagas in flight for the saga service)
 * @param retryAfterSeconds the {@code Retry-After} a refused order gets, in seconds
 */
public record BackpressureConfig(long reportIntervalMs, int maxQueued, int retryAfterSeconds) {
}
