package io.herald.store;

/** Base type of the event store's typed failures. */
public class EventStoreException extends RuntimeException {

  public EventStoreException(String message) {
    super(message);
  }

  public EventStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
