/**
 * Sagas: the stored state of a long-running business transaction ({@link io.herald.saga.SagaState}, kept by a
 * {@link io.herald.saga.SagaStore} in memory or in PostgreSQL), an orchestrator that runs its steps through one
 * circuit breaker per target service and compensates in reverse on failure, up to a step flagged as the point of
 * no return after which it only goes forward ({@link io.herald.saga.SagaEngine}),
 * and the breakers themselves with their recorded state changes ({@link io.herald.saga.BreakerRegistry}).
 */
package io.herald.saga;
