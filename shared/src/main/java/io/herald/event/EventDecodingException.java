package io.herald.event;

/**
 * Event data that does not match its registered record: a missing required field, a wrong JSON type,
 * or a malformed value. Names the event type and the offending field path (e.g. {@code items[0].quantity}).
 */
public final class EventDecodingException extends EventSchemaException {

  private final String eventType;
  private final String field;

  public EventDecodingException(String eventType, String field, String reason) {
    super("cannot decode event '" + eventType + "'" + (field == null || field.isEmpty() ? "" : ", field '" + field + "'") + ": " + reason);
    this.eventType = eventType;
    this.field = field;
  }

  public String eventType() {
    return eventType;
  }

  /** @return the dotted path of the offending field, or an empty string when the whole payload is at fault */
  public String field() {
    return field;
  }
}
