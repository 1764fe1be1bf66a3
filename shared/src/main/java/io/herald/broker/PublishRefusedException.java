package io.herald.broker;

/**
 * The broker refused an event for good: it is larger than the broker takes, or invalid for it. Unlike
 * {@link BrokerUnavailableException} or {@link BrokerCapacityException}, publishing it again cannot succeed, so the
 * relay sets it aside as a dead letter (see {@link io.herald.relay.RefusedEventHandler}) and goes on with the next event.
 */
public final class PublishRefusedException extends BrokerException {

  public PublishRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
