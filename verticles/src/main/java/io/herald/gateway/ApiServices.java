package io.herald.gateway;

import io.herald.delivery.DeadLetters;
import io.herald.gateway.auth.WriteRateLimiter;
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
 * @param writeRateLimiter the commands each caller may send a second ({@code api.writeRateLimit.*}), shared by every
 *                         gateway instance of the node
 */
public record ApiServices(ServiceContext services, IdempotencyStore idempotency, DeadLetters deadLetters, FeedOptions feed,
                          WriteRateLimiter writeRateLimiter) {

  public ApiServices {
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(idempotency, "idempotency");
    Objects.requireNonNull(deadLetters, "deadLetters");
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(writeRateLimiter, "writeRateLimiter");
  }
}
