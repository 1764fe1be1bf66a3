package io.herald.event;

/**
 * A fact that happened to one aggregate. Implementations are immutable records annotated with
 * {@link EventType} and registered once in an {@link EventRegistry}.
 */
public interface DomainEvent {

  /** @return the id of the aggregate this event belongs to; becomes the CloudEvents {@code subject} */
  String aggregateId();
}
