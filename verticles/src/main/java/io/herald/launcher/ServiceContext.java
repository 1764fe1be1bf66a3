package io.herald.launcher;

import io.herald.broker.MessageBroker;
import io.herald.event.EventRegistry;
import io.herald.health.HealthRegistry;
import io.herald.launcher.config.HeraldConfig;
import io.herald.store.EventStore;
import io.vertx.core.Vertx;

/**
 * What a service needs to deploy itself. The launcher owns every collaborator's lifecycle: services use them,
 * they do not close them.
 *
 * @param vertx  the node's Vert.x instance, codecs registered
 * @param config the node's checked configuration
 * @param store  the event store
 * @param broker the broker stored events are published to and services consume from
 * @param events the event registry the codecs and the store use
 * @param health where a service adds its readiness checks
 */
public record ServiceContext(Vertx vertx, HeraldConfig config, EventStore store, MessageBroker broker, EventRegistry events, HealthRegistry health) {
}
