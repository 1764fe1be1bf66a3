package io.herald.broker;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/**
 * One delivery of an event to one member of a consumer group. Settle it exactly once: {@link #ack()} when the
 * event is handled, {@link #nack(Throwable)} to have it delivered again later. Until it is settled, later
 * events of the same stream are held back for this group.
 */
public interface Delivery {

  /** @return the delivered event, as published */
  RecordedEvent event();

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
}
