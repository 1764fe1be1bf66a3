package io.herald.relay;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Settings of the {@link EventRelay}, read from the {@code relay} config section.
 *
 * @param checkpointName       name of the relay's position in the {@link io.herald.store.CheckpointStore};
 *                             default {@value #DEFAULT_CHECKPOINT_NAME}
 * @param checkpointBatch      save the checkpoint after at most this many confirmed events, in events;
 *                             default {@value #DEFAULT_CHECKPOINT_BATCH}
 * @param checkpointIntervalMs save the checkpoint at least this often while events are being confirmed, in
 *                             milliseconds; default {@value #DEFAULT_CHECKPOINT_INTERVAL_MS}
 * @param retryBaseMs          delay before retrying a failed publish (at most; jittered down to half), in
 *                             milliseconds; doubles on each further failure of the same event;
 *                             default {@value #DEFAULT_RETRY_BASE_MS}
 * @param retryCapMs           largest delay between two attempts to publish one event, in milliseconds;
 *                             default {@value #DEFAULT_RETRY_CAP_MS}
 * @param publishTimeoutMs     how long to wait for a broker confirm before treating the attempt as failed and
 *                             retrying it (the broker may still deliver the first attempt, so the event may arrive
 *                             twice), in milliseconds; default {@value #DEFAULT_PUBLISH_TIMEOUT_MS}
 */
public record EventRelayOptions(String checkpointName, int checkpointBatch, long checkpointIntervalMs,
                                long retryBaseMs, long retryCapMs, long publishTimeoutMs) {

  public static final String DEFAULT_CHECKPOINT_NAME = "relay";
  public static final int DEFAULT_CHECKPOINT_BATCH = 100;
  public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 1_000;
  public static final long DEFAULT_RETRY_BASE_MS = 100;
  public static final long DEFAULT_RETRY_CAP_MS = 30_000;
  public static final long DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;

  public EventRelayOptions {
    Objects.requireNonNull(checkpointName, "checkpointName");
    if (checkpointName.isBlank()) {
      throw new IllegalArgumentException("relay.checkpointName must not be blank");
    }
    requirePositive("checkpointBatch", checkpointBatch);
    requirePositive("checkpointIntervalMs", checkpointIntervalMs);
    requirePositive("retryBaseMs", retryBaseMs);
    requirePositive("publishTimeoutMs", publishTimeoutMs);
    if (retryCapMs < retryBaseMs) {
      throw new IllegalArgumentException("relay.retryCapMs (" + retryCapMs + ") must be >= relay.retryBaseMs (" + retryBaseMs + ")");
    }
  }

  public static EventRelayOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code relay} section; absent keys take their defaults. */
  public static EventRelayOptions fromJson(JsonObject json) {
    return new EventRelayOptions(
        json.getString("checkpointName", DEFAULT_CHECKPOINT_NAME),
        json.getInteger("checkpointBatch", DEFAULT_CHECKPOINT_BATCH),
        json.getLong("checkpointIntervalMs", DEFAULT_CHECKPOINT_INTERVAL_MS),
        json.getLong("retryBaseMs", DEFAULT_RETRY_BASE_MS),
        json.getLong("retryCapMs", DEFAULT_RETRY_CAP_MS),
        json.getLong("publishTimeoutMs", DEFAULT_PUBLISH_TIMEOUT_MS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("checkpointName", checkpointName).put("checkpointBatch", checkpointBatch)
        .put("checkpointIntervalMs", checkpointIntervalMs).put("retryBaseMs", retryBaseMs)
        .put("retryCapMs", retryCapMs).put("publishTimeoutMs", publishTimeoutMs);
  }

  private static void requirePositive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("relay." + name + " must be >= 1, was " + value);
    }
  }
}
