package io.herald.launcher;

import io.herald.broker.MessageBroker;
import io.herald.command.CommandBus;
import io.herald.delivery.Consumers;
import io.herald.delivery.DeadLetters;
import io.herald.event.EventRegistry;
import io.herald.health.HealthRegistry;
import io.herald.idempotency.IdempotencyStore;
import io.herald.launcher.config.HeraldConfig;
import io.herald.metrics.HeraldMetrics;
import io.herald.projection.Projections;
import io.herald.projection.document.DocumentStore;
import io.herald.relay.PublisherLease;
import io.herald.saga.SagaStore;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.vertx.core.Vertx;

/**
 * What a service needs to deploy itself. The launcher owns every collaborator's lifecycle: services use them,
 * they do not close them.
 *
 * @param vertx       the node's Vert.x instance, codecs registered
 * @param config      the node's checked configuration
 * @param store       the event store
 * @param broker      the broker stored events are published to and services consume from
 * @param events      the event registry the codecs and the store use
 * @param health      where a service adds its readiness checks
 * @param commands    request/reply to other services on the event bus
 * @param documents   where read models keep their documents (memory or PostgreSQL, as the store)
 * @param checkpoints where projections keep their positions
 * @param projections the node's running projections, for the admin API
 * @param idempotency results of requests sent with an {@code Idempotency-Key}
 * @param consumers   how services consume from the broker: a guarantee per group, retries, dead letters
 * @param deadLetters the dead letters of every group, for the admin API
 * @param lease       who may publish the store's events (one relay per store)
 * @param sagas       where sagas are kept (memory or PostgreSQL, as the store)
 * @param metrics     the node's own Prometheus metrics, and the hooks components report their state through
 */
public record ServiceContext(Vertx vertx, HeraldConfig config, EventStore store, MessageBroker broker, EventRegistry events,
                             HealthRegistry health, CommandBus commands, DocumentStore documents, CheckpointStore checkpoints,
                             Projections projections, IdempotencyStore idempotency, Consumers consumers,
                             DeadLetters deadLetters, PublisherLease lease, SagaStore sagas, HeraldMetrics metrics) {
}
