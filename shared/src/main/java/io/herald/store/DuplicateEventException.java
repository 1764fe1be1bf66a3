package io.herald.store;

import java.util.UUID;

/** An appended event reused the id of an event already stored; nothing of that append was written. */
public final class DuplicateEventException extends EventStoreException {

  private final UUID eventId;

  public DuplicateEventException(UUID eventId) {
    super("event id " + eventId + " is already stored");
    this.eventId = eventId;
  }

  public UUID eventId() {
    return eventId;
  }
}
