package io.herald.store;

import io.herald.event.RecordedEvent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What loading an aggregate reads from its stream: its latest snapshot of the wanted state type, if there is one,
 * and the events after it (every event when there is none).
 *
 * @param snapshot the snapshot, if a usable one is stored
 * @param events   the events after the snapshot's version, in version order
 */
public record StreamHistory(Optional<Snapshot> snapshot, List<RecordedEvent> events) {

  public StreamHistory {
    Objects.requireNonNull(snapshot, "snapshot");
    events = List.copyOf(events);
  }
}
