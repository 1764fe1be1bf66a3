package io.herald.relay;

import io.herald.event.RecordedEvent;
import java.util.List;

/**
 * Told about every event the broker confirmed, right after the confirm (metrics, feeds). Called on the relay's
 * context; it must return quickly and not throw: it cannot slow or fail the relay.
 */
@FunctionalInterface
public interface PublishListener {

  /** A listener that ignores everything. */
  PublishListener NONE = events -> {
  };

  /** @param events the confirmed events, in global order */
  void published(List<RecordedEvent> events);
}
