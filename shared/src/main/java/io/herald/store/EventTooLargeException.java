package io.herald.store;

/**
 * An appended event is larger than the store takes ({@code store.maxEventBytes}); nothing of that append was written.
 * The limit keeps every stored event publishable: a broker refuses messages over its own limit.
 */
public final class EventTooLargeException extends EventStoreException {

  private final String streamId;
  private final String eventType;
  private final long sizeBytes;
  private final long limitBytes;

  public EventTooLargeException(String streamId, int index, String eventType, long sizeBytes, long limitBytes) {
    super("event " + index + " (" + eventType + ") of the append to '" + streamId + "' is " + sizeBytes
        + " bytes, over the store's limit of " + limitBytes + " bytes per event (store.maxEventBytes)");
    this.streamId = streamId;
    this.eventType = eventType;
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }

  public String streamId() {
    return streamId;
  }

  public String eventType() {
    return eventType;
  }

  /** @return the event's size: its data as JSON plus its attributes, in UTF-8 bytes */
  public long sizeBytes() {
    return sizeBytes;
  }

  /** @return the store's limit, in bytes */
  public long limitBytes() {
    return limitBytes;
  }
}
