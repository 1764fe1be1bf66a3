package io.herald.broker;

/**
 * A message that could not be read as an event: not JSON, not a CloudEvent, a type no one registered, a missing
 * or malformed attribute, or a message larger than a consumer takes. Retrying cannot help, so such a message goes straight to the dead letters.
 */
public class UndecodableMessageException extends BrokerException {

  public UndecodableMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
