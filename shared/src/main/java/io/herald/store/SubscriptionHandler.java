package io.herald.store;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/** Handles one delivered event; the subscription waits for the returned future before the next event. */
@FunctionalInterface
public interface SubscriptionHandler {
  Future<Void> handle(RecordedEvent event);
}
