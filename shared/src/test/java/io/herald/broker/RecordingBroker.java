package io.herald.broker;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.List;

/** A real broker seen through a window: every event delivered to any of its subscriptions is recorded. */
public final class RecordingBroker extends ForwardingBroker {

  private final List<RecordedEvent> delivered;

  public RecordingBroker(MessageBroker delegate, List<RecordedEvent> delivered) {
    super(delegate);
    this.delivered = delivered;
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
}
