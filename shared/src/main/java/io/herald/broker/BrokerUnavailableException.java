package io.herald.broker;

/** The broker is not started, already closed, or could not be reached; the operation may be retried. */
public final class BrokerUnavailableException extends BrokerException {

  public BrokerUnavailableException(String message) {
    super(message);
  }

  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
