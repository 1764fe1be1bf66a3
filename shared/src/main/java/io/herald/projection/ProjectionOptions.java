package io.herald.projection;

import io.vertx.core.json.JsonObject;

/**
 * Settings of a {@link ProjectionRunner}.
 *
 * @param checkpointEvery      store the checkpoint after at most this many applied events; default {@value #DEFAULT_CHECKPOINT_EVERY}
 * @param checkpointIntervalMs and at least this often while events are applied, in milliseconds;
 *                             default {@value #DEFAULT_CHECKPOINT_INTERVAL_MS}
 * @param pageSize             most events read and applied at once (on PostgreSQL, one transaction); default
 *                             {@value #DEFAULT_PAGE_SIZE}. Larger pages catch up and rebuild faster, with fewer commits.
 */
public record ProjectionOptions(int checkpointEvery, long checkpointIntervalMs, int pageSize) {

  public static final int DEFAULT_CHECKPOINT_EVERY = 100;
  public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 1_000;
  public static final int DEFAULT_PAGE_SIZE = 4_000;

  public ProjectionOptions {
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpointEvery must be >= 1, was " + checkpointEvery);
    }
    if (checkpointIntervalMs < 1) {
      throw new IllegalArgumentException("checkpointIntervalMs must be >= 1, was " + checkpointIntervalMs);
    }
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be >= 1, was " + pageSize);
    }
  }

  /** With the default page size. */
  public ProjectionOptions(int checkpointEvery, long checkpointIntervalMs) {
    this(checkpointEvery, checkpointIntervalMs, DEFAULT_PAGE_SIZE);
  }

  public static ProjectionOptions defaults() {
    return new ProjectionOptions(DEFAULT_CHECKPOINT_EVERY, DEFAULT_CHECKPOINT_INTERVAL_MS, DEFAULT_PAGE_SIZE);
  }

  /** Reads {@code checkpointEvery}, {@code checkpointIntervalMs} and {@code pageSize}; absent keys take their defaults. */
  public static ProjectionOptions fromJson(JsonObject json) {
    return new ProjectionOptions(json.getInteger("checkpointEvery", DEFAULT_CHECKPOINT_EVERY),
        json.getLong("checkpointIntervalMs", DEFAULT_CHECKPOINT_INTERVAL_MS),
        json.getInteger("pageSize", DEFAULT_PAGE_SIZE));
  }
}
