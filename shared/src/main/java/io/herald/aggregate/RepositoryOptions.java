package io.herald.aggregate;

import io.vertx.core.json.JsonObject;

/**
 * Settings of an {@link AggregateRepository}.
 *
 * @param snapshotEvery      take a snapshot when a command moves the stream past a multiple of this many events;
 *                           0 turns snapshots off; default {@value #DEFAULT_SNAPSHOT_EVERY}
 * @param maxConflictRetries how often a command is decided again on fresh state after another writer appended
 *                           first; default {@value #DEFAULT_MAX_CONFLICT_RETRIES}
 * @param cachedAggregates   aggregates kept as the repository's last command left them, so that the next command on
 *                           one is decided without reading the store; 0 reads the store for every command; default
 *                           {@value #DEFAULT_CACHED_AGGREGATES}
 */
public record RepositoryOptions(int snapshotEvery, int maxConflictRetries, int cachedAggregates) {

  public static final int DEFAULT_SNAPSHOT_EVERY = 100;
  public static final int DEFAULT_MAX_CONFLICT_RETRIES = 10;
  public static final int DEFAULT_CACHED_AGGREGATES = 10_000;

  public RepositoryOptions {
    if (snapshotEvery < 0) {
      throw new IllegalArgumentException("snapshotEvery must be >= 0, was " + snapshotEvery);
    }
    if (maxConflictRetries < 0) {
      throw new IllegalArgumentException("maxConflictRetries must be >= 0, was " + maxConflictRetries);
    }
    if (cachedAggregates < 0) {
      throw new IllegalArgumentException("cachedAggregates must be >= 0, was " + cachedAggregates);
    }
  }

  /** With the default number of cached aggregates. */
  public RepositoryOptions(int snapshotEvery, int maxConflictRetries) {
    this(snapshotEvery, maxConflictRetries, DEFAULT_CACHED_AGGREGATES);
  }

  public static RepositoryOptions defaults() {
    return new RepositoryOptions(DEFAULT_SNAPSHOT_EVERY, DEFAULT_MAX_CONFLICT_RETRIES);
  }

  /** Reads {@code snapshotEvery}, {@code maxConflictRetries} and {@code cachedAggregates}; absent keys take their defaults. */
  public static RepositoryOptions fromJson(JsonObject json) {
    return new RepositoryOptions(json.getInteger("snapshotEvery", DEFAULT_SNAPSHOT_EVERY),
        json.getInteger("maxConflictRetries", DEFAULT_MAX_CONFLICT_RETRIES),
        json.getInteger("cachedAggregates", DEFAULT_CACHED_AGGREGATES));
  }
}
