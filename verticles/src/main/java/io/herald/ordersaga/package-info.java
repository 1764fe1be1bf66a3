/**
 * The order saga as a service ({@code saga}): orchestrated, the orchestrator verticle on the engine of
 * {@code io.herald.saga} in {@code shared}; choreographed, the projection that keeps each saga's record and the
 * deadline sweeper. The saga queries of the API are the same in both modes.
 */
package io.herald.ordersaga;
