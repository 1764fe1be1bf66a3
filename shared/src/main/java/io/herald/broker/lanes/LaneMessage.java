package io.herald.broker.lanes;

import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/**
 * A message an adapter read from its broker and hands to {@link StreamLanes}: what it is, which lane (ordering
 * key) it belongs to, and how to settle it with the broker.
 */
public interface LaneMessage {

  /** @return the ordering key: the event's stream id, or a key of its own for a message that is not an event */
  String lane();

  /** @return the event, or {@code null} when the message could not be decoded */
  RecordedEvent event();

  /** @return why the message is not an event, or {@code null} */
  UndecodableMessageException decodeFailure();

  /** @return the message as the broker carried it */
  RawMessage raw();

  /** @return the broker's delivery count: 1 on a first delivery, more when the broker redelivers it */
  int attempt();

  /** Tells the broker the message is handled. */
  Future<Void> ack();

  /** Moves the message to the broker's dead-letter destination and acks it. */
  Future<Void> deadLetter(Throwable reason, int attempts);
}
