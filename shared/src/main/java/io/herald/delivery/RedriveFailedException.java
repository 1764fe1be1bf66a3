package io.herald.delivery;

/** A redriven dead letter failed again (or is still not an event); it stays a dead letter with this error. */
public final class RedriveFailedException extends RuntimeException {

  public RedriveFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
