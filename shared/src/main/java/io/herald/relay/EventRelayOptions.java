package io.herald.relay;

import static io.herald.options.Rule.notBlank;
import static io.herald.options.Rule.positive;

import io.herald.options.OptionsSchema;
import io.vertx.core.json.JsonObject;

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

  private static final OptionsSchema<EventRelayOptions> SCHEMA = OptionsSchema.of(EventRelayOptions.class, "relay")
      .key("checkpointName", DEFAULT_CHECKPOINT_NAME, notBlank())
      .key("checkpointBatch", DEFAULT_CHECKPOINT_BATCH, positive())
      .key("checkpointIntervalMs", DEFAULT_CHECKPOINT_INTERVAL_MS, positive())
      .key("retryBaseMs", DEFAULT_RETRY_BASE_MS, positive())
      .key("retryCapMs", DEFAULT_RETRY_CAP_MS)
      .key("publishTimeoutMs", DEFAULT_PUBLISH_TIMEOUT_MS, positive())
      .require("retryCapMs", ">=", "retryBaseMs")
      .build();

  public EventRelayOptions {
    SCHEMA.check(checkpointName, checkpointBatch, checkpointIntervalMs, retryBaseMs, retryCapMs, publishTimeoutMs);
  }

  public static EventRelayOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code relay} section; absent keys take their defaults. */
  public static EventRelayOptions fromJson(JsonObject json) {
    return SCHEMA.read(json);
  }

  public JsonObject toJson() {
    return SCHEMA.write(this);
  }
}
