package io.herald.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * An aggregate's state at a stream version, so loading a long stream reads only the events after it.
 *
 * @param streamId  the stream
 * @param version   the stream version the state includes
 * @param stateType names the state's shape and version, so a changed aggregate can ignore stale snapshots
 * @param state     the state as JSON
 * @param takenAt   when the snapshot was taken
 */
public record Snapshot(String streamId, long version, String stateType, JsonObject state, Instant takenAt) {

  public Snapshot {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(stateType, "stateType");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(takenAt, "takenAt");
    if (version < 1) {
      throw new IllegalArgumentException("snapshot version must be >= 1, was " + version);
    }
  }
}
