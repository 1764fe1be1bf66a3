package io.herald.projection;

/** Lifecycle of a projection. */
public enum ProjectionState {
  /** Created, not started. */
  STOPPED,
  /** Another process holds the projection's writer role; its status shows the stored checkpoint. */
  STANDBY,
  /** Reading events that were stored before it caught up with the store's head. */
  CATCHING_UP,
  /** Caught up; applying events as they are committed. */
  LIVE,
  /** Emptied and replaying from position 1. */
  REBUILDING,
  /** Its handler failed; see the log and {@link ProjectionStatus#error()}. */
  FAILED
}
