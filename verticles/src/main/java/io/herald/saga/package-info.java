/**
 * The order saga as a service ({@code saga}): the orchestrator verticle on the engine of {@code io.herald.saga} in
 * {@code shared}, and the saga queries of the API.
 */
package io.herald.saga;
