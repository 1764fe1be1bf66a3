package io.herald.launcher.config;

import io.herald.gateway.feed.FeedOptions;

/** The live feeds' settings ({@code feed.*}), checked key by key. */
final class FeedConfig {

  private FeedConfig() {
  }

  static FeedOptions read(ConfigValues values) {
    return new FeedOptions(
        values.longValue("feed.heartbeatMs", FeedOptions.DEFAULT_HEARTBEAT_MS, 100, 3_600_000),
        values.integer("feed.bufferEvents", FeedOptions.DEFAULT_BUFFER_EVENTS, 1, 1_000_000),
        values.integer("feed.maxClients", FeedOptions.DEFAULT_MAX_CLIENTS, 1, 1_000_000),
        values.integer("feed.catchUpPageSize", FeedOptions.DEFAULT_CATCH_UP_PAGE_SIZE, 1, 10_000));
  }
}
