package io.herald.service;

import io.herald.broker.BrokerSubscription;
import io.herald.event.RecordedEvent;
import io.herald.service.config.SagaMode;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * A service's part of the choreographed order saga ({@code saga.mode: choreography}): a consumer group on the
 * broker, at least once, whose handler must be idempotent. With {@code saga.mode: orchestration} nothing is
 * subscribed: the orchestrator drives the services with commands instead.
 */
public final class SagaReactions {

  private final BrokerSubscription subscription;

  private SagaReactions(BrokerSubscription subscription) {
    this.subscription = subscription;
  }

  /** Joins {@code group} for {@code types} when the node's sagas are choreographed. */
  public static Future<SagaReactions> start(ServiceContext ctx, String group, List<String> types,
                                            Function<RecordedEvent, Future<Void>> handler) {
    if (ctx.config().saga().mode() != SagaMode.CHOREOGRAPHY) {
      return Future.succeededFuture(new SagaReactions(null));
    }
    return ctx.consumers().atLeastOnce(group, types, handler).map(SagaReactions::new);
  }

  /** Leaves the group; what this member had not settled is delivered again to the next one. */
  public Future<Void> stop() {
    return subscription == null ? Future.succeededFuture() : subscription.close();
  }

  /** Stops every one given that started ({@code null} for one that did not). */
  public static Future<Void> stop(SagaReactions reactions) {
    return reactions == null ? Future.succeededFuture() : reactions.stop();
  }
}
