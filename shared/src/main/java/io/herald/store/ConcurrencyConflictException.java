package io.herald.store;

/** The stream's version was not the one the append expected: someone else appended first. */
public final class ConcurrencyConflictException extends EventStoreException {

  private final String streamId;
  private final long expectedVersion;
  private final long actualVersion;

  public ConcurrencyConflictException(String streamId, long expectedVersion, long actualVersion) {
    super("concurrency conflict on stream '" + streamId + "': expected version " + expectedVersion
        + ", actual version " + actualVersion);
    this.streamId = streamId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  public String streamId() {
    return streamId;
  }

  public long expectedVersion() {
    return expectedVersion;
  }

  public long actualVersion() {
    return actualVersion;
  }
}
