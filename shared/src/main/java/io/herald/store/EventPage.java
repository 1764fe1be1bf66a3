package io.herald.store;

import io.herald.event.RecordedEvent;
import java.util.List;

/**
 * A page of the global order.
 *
 * @param events events in position order
 * @param next   the position to read from next (last returned position + 1, or the requested start when empty)
 */
public record EventPage(List<RecordedEvent> events, long next) {

  public EventPage {
    events = List.copyOf(events);
  }

  public boolean isEmpty() {
    return events.isEmpty();
  }
}
