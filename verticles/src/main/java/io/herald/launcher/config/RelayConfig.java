package io.herald.launcher.config;

import io.herald.relay.EventRelayOptions;

/** The relay's settings ({@code relay.*}), checked key by key. */
final class RelayConfig {

  private RelayConfig() {
  }

  static EventRelayOptions read(ConfigValues values) {
    String r = "relay.";
    long maxMs = 3_600_000;
    try {
      return new EventRelayOptions(
          values.nonBlankString(r + "checkpointName", EventRelayOptions.DEFAULT_CHECKPOINT_NAME),
          values.integer(r + "checkpointBatch", EventRelayOptions.DEFAULT_CHECKPOINT_BATCH, 1, Integer.MAX_VALUE),
          values.longValue(r + "checkpointIntervalMs", EventRelayOptions.DEFAULT_CHECKPOINT_INTERVAL_MS, 1, maxMs),
          values.longValue(r + "retryBaseMs", EventRelayOptions.DEFAULT_RETRY_BASE_MS, 1, maxMs),
          values.longValue(r + "retryCapMs", EventRelayOptions.DEFAULT_RETRY_CAP_MS, 1, maxMs),
          values.longValue(r + "publishTimeoutMs", EventRelayOptions.DEFAULT_PUBLISH_TIMEOUT_MS, 1, maxMs));
    } catch (IllegalArgumentException e) {
      // the options' cross-field check (retryCapMs >= retryBaseMs) names both keys
      throw new ConfigException("invalid relay settings: " + e.getMessage());
    }
  }
}
