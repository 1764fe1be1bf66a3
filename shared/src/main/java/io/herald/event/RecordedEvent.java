package io.herald.event;

import java.util.Objects;

/**
 * An event as the store recorded it: its envelope (with {@code sequence} set to the stream version),
 * the stream it belongs to, and its global position. Positions grow in commit order, so a reader that
 * resumes after position {@code p} never misses an event committed later.
 *
 * @param position global position, starting at 1
 * @param streamId the stream the event was appended to
 * @param envelope the CloudEvents envelope
 */
public record RecordedEvent(long position, String streamId, EventEnvelope envelope) {

  public RecordedEvent {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(envelope, "envelope");
  }

  public String type() {
    return envelope.type();
  }

  public long version() {
    return envelope.sequence();
  }

  public DomainEvent data() {
    return envelope.data();
  }
}
