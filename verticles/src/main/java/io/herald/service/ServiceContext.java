package io.herald.service;

import io.herald.command.CommandBus;
import io.herald.delivery.Consumers;
import io.herald.event.EventRegistry;
import io.herald.health.HealthRegistry;
import io.herald.lease.Roles;
import io.herald.metrics.HeraldMetrics;
import io.herald.projection.Projections;
import io.herald.projection.document.DocumentStore;
import io.herald.saga.SagaStore;
import io.herald.service.config.ServiceConfig;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.vertx.core.Vertx;

/**
 * What a service gets to run: the collaborators the business services share, and no more. What only the node's
 * edges use (the broker itself, the dead-letter admin, idempotency keys) goes from the launcher
 * to the relay and the gateway directly. The launcher owns every collaborator's lifecycle: services use them, they do
 * not close them.
 *
 * @param vertx       the node's Vert.x instance, codecs registered
 * @param config      the checked config sections services read
 * @param store       the event store
 * @param events      the event registry the codecs and the store use
 * @param health      where a service adds its readiness checks
 * @param commands    request/reply to other services on the event bus
 * @param documents   where read models keep their documents (memory or PostgreSQL, as the store)
 * @param checkpoints where projections keep their positions
 * @param projections the node's running projections, for the admin API
 * @param consumers   how services consume from the broker: a guarantee per group, retries, dead letters
 * @param sagas       where sagas are kept (memory or PostgreSQL, as the store)
 * @param metrics     the node's own Prometheus metrics, and the hooks components report their state through
 * @param roles       the leases of singleton roles (saga starter, projection writers...), one holder per store
 */
public record ServiceContext(Vertx vertx, ServiceConfig config, EventStore store, EventRegistry events, HealthRegistry health,
                             CommandBus commands, DocumentStore documents, CheckpointStore checkpoints,
                             Projections projections, Consumers consumers, SagaStore sagas, HeraldMetrics metrics,
                             Roles roles) {
}
