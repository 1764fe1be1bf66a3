package io.herald.service.config;

import io.herald.projection.ProjectionOptions;

/**
 * The config sections services read, checked at start by the launcher.
 *
 * @param api          {@code api.*}: command timeout and read-your-writes wait
 * @param projections  {@code projections.*}: checkpointing of every read model
 * @param saga         {@code saga.*}
 * @param order        {@code order.*}
 * @param payment      {@code payment.*}
 * @param inventory    {@code inventory.*}: batched commands per SKU
 * @param backpressure {@code backpressure.*}: queue depths reported by services, load shed at the HTTP edge
 * @param metrics      {@code metrics.*}
 */
public record ServiceConfig(ApiConfig api, ProjectionOptions projections, SagaConfig saga, OrderConfig order,
                           PaymentConfig payment, InventoryConfig inventory, BackpressureConfig backpressure,
                           MetricsConfig metrics) {
}
