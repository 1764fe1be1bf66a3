package io.herald.gateway;

import io.herald.delivery.DeadLetters;
import io.herald.gateway.feed.FeedOptions;
import io.herald.idempotency.IdempotencyStore;
import io.herald.service.ServiceContext;
import java.util.Objects;

/**
 * What the public API talks to: the services' context, and what only the HTTP edge uses.
 *
 * @param services    the node's services: store, commands, projections, config
 * @param idempotency results of requests sent with an {@code Idempotency-Key}
 * @param deadLetters the dead letters of every group, for the admin API
 * @param feed        the live feeds' settings ({@code feed.*})
 */
public record ApiServices(ServiceContext services, IdempotencyStore idempotency, DeadLetters deadLetters, FeedOptions feed) {

  public ApiServices {
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(idempotency, "idempotency");
    Objects.requireNonNull(deadLetters, "deadLetters");
    Objects.requireNonNull(feed, "feed");
  }
}
