package io.herald.relay;

import static io.herald.options.JsonOptions.requirePositive;

import io.herald.options.JsonOptions;
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
    requirePositive("relay.checkpointBatch", checkpointBatch);
    requirePositive("relay.checkpointIntervalMs", checkpointIntervalMs);
    requirePositive("relay.retryBaseMs", retryBaseMs);
    requirePositive("relay.publishTimeoutMs", publishTimeoutMs);
    if (retryCapMs < retryBaseMs) {
      throw new IllegalArgumentException("relay.retryCapMs (" + retryCapMs + ") must be >= relay.retryBaseMs (" + retryBaseMs + ")");
    }
  }

  public static EventRelayOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code relay} section; absent keys take their defaults. */
  public static EventRelayOptions fromJson(JsonObject json) {
    JsonOptions in = JsonOptions.of(json, "relay.");
    return new EventRelayOptions(
        in.string("checkpointName", DEFAULT_CHECKPOINT_NAME),
        in.integer("checkpointBatch", DEFAULT_CHECKPOINT_BATCH),
        in.number("checkpointIntervalMs", DEFAULT_CHECKPOINT_INTERVAL_MS),
        in.number("retryBaseMs", DEFAULT_RETRY_BASE_MS),
        in.number("retryCapMs", DEFAULT_RETRY_CAP_MS),
        in.number("publishTimeoutMs", DEFAULT_PUBLISH_TIMEOUT_MS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("checkpointName", checkpointName).put("checkpointBatch", checkpointBatch)
        .put("checkpointIntervalMs", checkpointIntervalMs).put("retryBaseMs", retryBaseMs)
        .put("retryCapMs", retryCapMs).put("publishTimeoutMs", publishTimeoutMs);
  }
}
