package io.herald.event;

/** An event type name, or a record class, that is not registered. Never dropped silently. */
public final class UnknownEventTypeException extends EventSchemaException {

  private final String eventType;

  public UnknownEventTypeException(String eventType) {
    super("unknown event type '" + eventType + "': it is not registered in the event registry");
    this.eventType = eventType;
  }

  public String eventType() {
    return eventType;
  }
}
