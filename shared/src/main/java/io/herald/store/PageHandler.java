package io.herald.store;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.List;

/**
 * Handles the events of a subscription a page at a time (consecutive positions, in global order, never empty).
 * The subscription waits for the returned future before the next page; a failed future stops it. Reading in
 * pages lets a handler commit many events in one transaction.
 */
@FunctionalInterface
public interface PageHandler {

  Future<Void> handle(List<RecordedEvent> page);
}
