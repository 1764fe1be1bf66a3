package io.herald.launcher;

import io.herald.broker.MessageBroker;
import io.herald.delivery.DeadLetters;
import io.herald.gateway.auth.Access;
import io.herald.idempotency.IdempotencyStore;
import io.herald.launcher.config.HeraldConfig;
import io.herald.service.ServiceContext;
import io.herald.service.config.ServiceConfig;
import io.vertx.core.Vertx;

/**
 * What the launcher deploys a node's services with: the services' own context, and what only the node's edges use
 * (the relay publishes to the broker, the gateway serves dead letters and idempotency keys).
 *
 * @param services    what every service gets
 * @param config      the node's whole checked configuration
 * @param broker      the broker stored events are published to and services consume from
 * @param idempotency results of requests sent with an {@code Idempotency-Key}
 * @param deadLetters the dead letters of every group, for the admin API
 * @param access      who may call the HTTP API, the feeds and the bridge
 */
public record NodeContext(ServiceContext services, HeraldConfig config, MessageBroker broker, IdempotencyStore idempotency,
                          DeadLetters deadLetters, Access access) {

  public Vertx vertx() {
    return services.vertx();
  }

  /** The sections of {@code config} that services read. */
  static ServiceConfig serviceConfig(HeraldConfig config) {
    return new ServiceConfig(config.api(), config.projections(), config.saga(), config.order(), config.payment(),
        config.inventory(), config.backpressure(), config.metrics());
  }
}
