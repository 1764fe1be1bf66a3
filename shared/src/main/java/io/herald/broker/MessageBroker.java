package io.herald.broker;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.List;

/**
 * The broker SPI: publish with confirmation, and subscribe as a named consumer group with ack/nack.
 * Every adapter (event bus, Kafka, RabbitMQ, Redis Streams, NATS JetStream) implements exactly this contract.
 *
 * <p><b>Publishing.</b> {@link #publish} succeeds only once the broker has confirmed the event, i.e. taken
 * responsibility for delivering it to every group whose type patterns match. A failed publish may still have
 * reached some groups, so a publisher that retries gives at-least-once delivery; consumers deduplicate by
 * {@code envelope().id()} where that matters.
 *
 * <p><b>Consuming.</b> A consumer group receives every event published after it first subscribed whose
 * CloudEvents {@code type} matches one of its {@link TypePatterns}. Several subscriptions with the same group
 * name are competing consumers: each event goes to one of them. Within a group, events of one stream
 * ({@link RecordedEvent#streamId()}) are delivered in publish order, one at a time: the next event of a stream
 * is delivered only after the previous one was acked. A nacked delivery is delivered again later (after a
 * backoff chosen by the adapter), before any later event of its stream.
 *
 * <p>Futures fail with {@link BrokerUnavailableException} (not started, closed or unreachable) or
 * {@link BrokerCapacityException} (a bound was reached); both are worth retrying later.
 */
public interface MessageBroker {

  /** @return a short name for logs and health output, e.g. {@code eventbus} or {@code kafka 127.0.0.1:9092} */
  String name();

  /** Connects and prepares the broker; publish and subscribe fail until this future has succeeded. */
  Future<Void> start();

  /**
   * Publishes one event.
   *
   * @param event a stored event; its {@code type} selects the groups, its {@code streamId} the ordering key
   * @return succeeds once the broker has confirmed the event for every matching group; fails with
   *     {@link BrokerCapacityException} or {@link BrokerUnavailableException} when it did not take it
   */
  Future<Void> publish(RecordedEvent event);

  /**
   * Publishes events in list order, each one after the previous one was confirmed; adapters may send them
   * in fewer round trips as long as the ordering and confirmation guarantees stay the same.
   *
   * @param events events in publish order
   * @return succeeds when every event was confirmed; on failure the events before the failed one are
   *     confirmed, the failed one may or may not have been delivered, and the ones after it were not published
   */
  default Future<Void> publishAll(List<RecordedEvent> events) {
    Future<Void> chain = Future.succeededFuture();
    for (RecordedEvent event : events) {
      chain = chain.compose(v -> publish(event));
    }
    return chain;
  }

  /**
   * Joins a consumer group.
   *
   * @param group        the group name; groups are independent of each other, members of one group compete
   * @param typePatterns CloudEvents type patterns, see {@link TypePatterns}; at least one
   * @param handler      receives deliveries on the subscriber's context and must settle each one with
   *                     {@link Delivery#ack()} or {@link Delivery#nack(Throwable)}
   * @return the subscription once the group receives events; fails with {@link IllegalArgumentException}
   *     on invalid arguments
   */
  Future<BrokerSubscription> subscribe(String group, List<String> typePatterns, DeliveryHandler handler);

  /**
   * Reads a message in this broker's CloudEvents binding, as {@link Delivery#event()} would: used to redrive a
   * dead letter kept as a {@link RawMessage}.
   *
   * @throws UndecodableMessageException naming why the message is not an event
   */
  RecordedEvent decode(RawMessage message);

  /** @return succeeds when the broker is started and reachable; used by readiness checks */
  Future<Void> ping();

  /** Stops consuming and publishing and releases connections; unsettled deliveries are not acked. */
  Future<Void> close();
}
