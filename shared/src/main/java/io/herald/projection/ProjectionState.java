package io.herald.projection;

/** Lifecycle of a projection. */
public enum ProjectionState {
  /** Created, not started. */
  STOPPED,
  /** Reading events that were stored before it caught up with the store's head. */
  CATCHING_UP,
  /** Caught up; applying events as they are committed. */
  LIVE,
  /** Emptied and replaying from position 1. */
  REBUILDING,
  /** Its handler failed; see the log and {@link ProjectionStatus#error()}. */
  FAILED
}
