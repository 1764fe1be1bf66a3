package io.herald.delivery;

import io.herald.event.RecordedEvent;
import java.util.List;

/**
 * Told how consumer groups settle their events (metrics). Called on the consumer's context; it must return quickly
 * and not throw: it cannot slow or fail a consumer.
 */
public interface DeliveryListener {

  /** A listener that ignores everything. */
  DeliveryListener NONE = new DeliveryListener() {
  };

  /**
   * A member of a consumer group started consuming.
   *
   * @param group        the consumer group
   * @param typePatterns the event types it consumes
   */
  default void subscribed(String group, List<String> typePatterns) {
  }

  /**
   * A group's handler succeeded on an event and the event was settled.
   *
   * @param group        the consumer group
   * @param event        the event
   * @param elapsedNanos time spent in the handler, retries and their waits included, in nanoseconds
   */
  default void handled(String group, RecordedEvent event, long elapsedNanos) {
  }

  /**
   * A group gave up on a message and kept it as a dead letter.
   *
   * @param group     the consumer group it came from
   * @param eventType the event's type, or {@code null} when the message was not an event
   */
  default void deadLettered(String group, String eventType) {
  }
}
