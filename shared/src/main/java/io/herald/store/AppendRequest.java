package io.herald.store;

import io.herald.event.EventEnvelope;
import java.util.List;

/** Checks the arguments of {@link EventStore#append} once, for every implementation. */
public final class AppendRequest {

  private AppendRequest() {
  }

  /** @return what is wrong with the arguments, naming the argument at fault, or {@code null} when nothing is */
  public static IllegalArgumentException problem(String streamId, long expectedVersion, List<EventEnvelope> events) {
    if (streamId == null || streamId.isBlank()) {
      return new IllegalArgumentException("streamId must not be blank");
    }
    if (expectedVersion < EventStore.ANY_VERSION) {
      return new IllegalArgumentException("expectedVersion must be >= -1 (ANY_VERSION), was " + expectedVersion);
    }
    if (events == null || events.isEmpty()) {
      return new IllegalArgumentException("an append needs at least one event (stream '" + streamId + "')");
    }
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) == null) {
        return new IllegalArgumentException("event " + i + " of the append to '" + streamId + "' is null");
      }
    }
    return null;
  }
}
