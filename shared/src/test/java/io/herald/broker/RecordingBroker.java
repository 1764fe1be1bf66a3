package io.herald.broker;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.List;

/** A real broker seen through a window: every event delivered to any of its subscriptions is recorded. */
public final class RecordingBroker implements MessageBroker {

  private final MessageBroker delegate;
  private final List<RecordedEvent> delivered;

  public RecordingBroker(MessageBroker delegate, List<RecordedEvent> delivered) {
    this.delegate = delegate;
    this.delivered = delivered;
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
    return delegate.subscribe(group, typePatterns, d -> {
      if (d.event() != null) {
        delivered.add(d.event());
      }
      handler.handle(d);
    });
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
