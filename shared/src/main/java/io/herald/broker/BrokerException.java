package io.herald.broker;

/** Base type of the broker's typed failures. */
public class BrokerException extends RuntimeException {

  public BrokerException(String message) {
    super(message);
  }

  public BrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}
