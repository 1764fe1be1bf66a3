package io.herald.broker;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/**
 * One delivery of a message to one member of a consumer group. Settle it exactly once: {@link #ack()} when the
 * event is handled, {@link #nack(Throwable)} to have it delivered again later, {@link #deadLetter(Throwable, int)}
 * to give up on it. Until it is settled, later events of the same stream are held back for this group.
 *
 * <p>A message that is not an event (not JSON, not a CloudEvent, an unknown type, a missing attribute) is still
 * delivered, with {@link #event()} {@code null} and {@link #decodeFailure()} saying why, so that the consumer can
 * dead-letter it and go on consuming.
 */
public interface Delivery {

  /** @return the delivered event, as published; {@code null} when the message is not an event (see {@link #decodeFailure()}) */
  RecordedEvent event();

  /**
   * @return why the message could not be read as an event (an {@link UndecodableMessageException} naming the
   *     problem), or {@code null} when {@link #event()} holds it
   */
  default UndecodableMessageException decodeFailure() {
    return null;
  }

  /** @return the message as the broker carried it: body, headers, where it was read from */
  RawMessage message();

  /** @return the consumer group this delivery belongs to */
  String group();

  /** @return 1 on the first delivery of this event to this group, 2 on the first redelivery, and so on */
  int attempt();

  /**
   * Marks the event as handled; it will not be delivered to this group again.
   *
   * @return succeeds when the broker recorded the ack; fails with {@link IllegalStateException} when the
   *     delivery was already settled (or handed back because its subscription closed), or with
   *     {@link BrokerUnavailableException} when the broker is closed
   */
  Future<Void> ack();

  /**
   * Rejects the event for now: the broker delivers it again after a backoff, before any later event of its stream.
   *
   * @param reason why handling failed, for logs
   * @return succeeds when the broker recorded the nack; fails like {@link #ack()}
   */
  Future<Void> nack(Throwable reason);

  /**
   * Gives up on the message: the broker moves it to its own dead-letter destination (Kafka {@code <topic>.DLT},
   * a RabbitMQ dead-letter exchange, a dead stream...) with the reason and the attempt count as headers, and
   * settles it, so later events of its stream proceed.
   *
   * @param reason   the last failure
   * @param attempts how many times handling was tried
   * @return succeeds once the dead-letter destination has the message and the delivery is settled; fails like
   *     {@link #ack()}, or with a {@link BrokerException} when the destination did not take the message: the
   *     delivery then stays unsettled (neither acked nor moved, its stream still waiting) and may be dead-lettered again
   */
  Future<Void> deadLetter(Throwable reason, int attempts);
}
