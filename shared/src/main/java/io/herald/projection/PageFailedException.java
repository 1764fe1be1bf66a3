package io.herald.projection;

/**
 * A page of events that was applied only in part: every event up to {@link #appliedThrough()} is applied (and,
 * for a transactional read model, committed), the next one failed with the cause.
 */
public final class PageFailedException extends RuntimeException {

  private final long appliedThrough;
  private final long failedAt;

  public PageFailedException(long appliedThrough, long failedAt, Throwable cause) {
    super("event at position " + failedAt + " failed: " + cause.getMessage(), cause);
    this.appliedThrough = appliedThrough;
    this.failedAt = failedAt;
  }

  /** @return the position of the last event applied before the failure, 0 when none was */
  public long appliedThrough() {
    return appliedThrough;
  }

  public long failedAt() {
    return failedAt;
  }
}
