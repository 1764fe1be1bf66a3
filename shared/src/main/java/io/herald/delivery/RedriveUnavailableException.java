package io.herald.delivery;

/** The consumer group a dead letter belongs to runs on no node now, so nothing can handle it again. */
public final class RedriveUnavailableException extends RuntimeException {

  public RedriveUnavailableException(String message) {
    super(message);
  }
}
