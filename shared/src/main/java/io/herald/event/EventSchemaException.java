package io.herald.event;

/** Base type of the failures raised while mapping events to and from their stored or wire form. */
public class EventSchemaException extends RuntimeException {

  public EventSchemaException(String message) {
    super(message);
  }

  public EventSchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
