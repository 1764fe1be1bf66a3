package io.herald.broker;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API services consume with: a handler returning a future, acked when the future succeeds and nacked
 * (delivered again later, in order) when it fails, when it throws, or when it returns {@code null}.
 * Delivery is at least once, so handlers should be idempotent (deduplicate by {@code envelope().id()}).
 *
 * <pre>{@code
 * consumers.subscribe("billing", List.of("order.*"), event -> billing.apply(event));
 * }</pre>
 */
public final class EventConsumers {

  private static final Logger log = LoggerFactory.getLogger(EventConsumers.class);

  private final MessageBroker broker;

  public EventConsumers(MessageBroker broker) {
    this.broker = Objects.requireNonNull(broker, "broker");
  }

  /**
   * Joins a consumer group with a future-returning handler.
   *
   * @param group        the consumer group; members with the same name share the work
   * @param typePatterns CloudEvents type patterns, see {@link TypePatterns}
   * @param handler      called once per delivery on the subscriber's context; the delivery is acked when its
   *                     future succeeds and nacked when it fails
   * @return the subscription, see {@link MessageBroker#subscribe}
   */
  public Future<BrokerSubscription> subscribe(String group, List<String> typePatterns,
                                              Function<RecordedEvent, Future<Void>> handler) {
    Objects.requireNonNull(handler, "handler");
    return broker.subscribe(group, typePatterns, delivery -> handle(delivery, handler));
  }

  private static void handle(Delivery delivery, Function<RecordedEvent, Future<Void>> handler) {
    Future<Void> handled;
    try {
      handled = handler.apply(delivery.event());
    } catch (RuntimeException e) {
      handled = Future.failedFuture(e);
    }
    if (handled == null) {
      handled = Future.failedFuture(new IllegalStateException("handler returned null instead of a future"));
    }
    handled.onComplete(result -> {
      if (result.succeeded()) {
        delivery.ack().onFailure(err -> log.debug("ack of position {} for group '{}' not recorded: {}",
            delivery.event().position(), delivery.group(), err.getMessage()));
      } else {
        RecordedEvent event = delivery.event();
        log.warn("group '{}' failed {} at position {} (stream {}, attempt {}); it will be redelivered: {}",
            delivery.group(), event.type(), event.position(), event.streamId(), delivery.attempt(),
            String.valueOf(result.cause()));
        delivery.nack(result.cause()).onFailure(err -> log.debug("nack of position {} for group '{}' not recorded: {}",
            event.position(), delivery.group(), err.getMessage()));
      }
    });
  }
}
