package io.herald.projection;

import io.vertx.core.json.JsonObject;

/**
 * Settings of a {@link ProjectionRunner}.
 *
 * @param checkpointEvery      store the checkpoint after at most this many applied events; default {@value #DEFAULT_CHECKPOINT_EVERY}
 * @param checkpointIntervalMs and at least this often while events are applied, in milliseconds;
 *                             default {@value #DEFAULT_CHECKPOINT_INTERVAL_MS}
 */
public record ProjectionOptions(int checkpointEvery, long checkpointIntervalMs) {

  public static final int DEFAULT_CHECKPOINT_EVERY = 100;
  public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 1_000;

  public ProjectionOptions {
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpointEvery must be >= 1, was " + checkpointEvery);
    }
    if (checkpointIntervalMs < 1) {
      throw new IllegalArgumentException("checkpointIntervalMs must be >= 1, was " + checkpointIntervalMs);
    }
  }

  public static ProjectionOptions defaults() {
    return new ProjectionOptions(DEFAULT_CHECKPOINT_EVERY, DEFAULT_CHECKPOINT_INTERVAL_MS);
  }

  /** Reads {@code checkpointEvery} and {@code checkpointIntervalMs}; absent keys take their defaults. */
  public static ProjectionOptions fromJson(JsonObject json) {
    return new ProjectionOptions(json.getInteger("checkpointEvery", DEFAULT_CHECKPOINT_EVERY),
        json.getLong("checkpointIntervalMs", DEFAULT_CHECKPOINT_INTERVAL_MS));
  }
}
