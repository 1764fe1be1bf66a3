package io.herald.service.config;

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
}
