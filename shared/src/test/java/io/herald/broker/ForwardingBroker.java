package io.herald.broker;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.List;

/** A real broker behind a test's window: every call goes to it; a subclass overrides what it watches or changes. */
public abstract class ForwardingBroker implements MessageBroker {

  protected final MessageBroker delegate;

  protected ForwardingBroker(MessageBroker delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Future<Void> start() {
    return delegate.start();
  }

  @Override
  public Future<Void> publish(RecordedEvent event) {
    return delegate.publish(event);
  }

  @Override
  public Future<BrokerSubscription> subscribe(String group, List<String> typePatterns, DeliveryHandler handler) {
    return delegate.subscribe(group, typePatterns, handler);
  }

  @Override
  public RecordedEvent decode(RawMessage message) {
    return delegate.decode(message);
  }

  @Override
  public Future<Void> ping() {
    return delegate.ping();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}
