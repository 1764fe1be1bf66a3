package io.herald.launcher.config;

import io.herald.store.EventSizeLimit;
import io.herald.store.pg.PgStoreOptions;

/**
 * The event store ({@code store.*}).
 *
 * @param type     which store to build
 * @param postgres settings of the PostgreSQL store; read and checked whatever the type, so a typo surfaces early
 * @param sizeLimit the largest event an append takes ({@code store.maxEventBytes})
 */
public record StoreConfig(StoreType type, PgStoreOptions postgres, EventSizeLimit sizeLimit) {

  static StoreConfig read(ConfigValues values) {
    StoreType type = values.enumValue("store.type", StoreType.class, StoreType.MEMORY);
    EventSizeLimit sizeLimit = new EventSizeLimit(values.integer("store.maxEventBytes",
        EventSizeLimit.DEFAULT_MAX_EVENT_BYTES, 1, Integer.MAX_VALUE));
    String p = "store.postgres.";
    int maxInt = Integer.MAX_VALUE;
    try {
      return new StoreConfig(type, new PgStoreOptions(
          values.nonBlankString(p + "host", PgStoreOptions.DEFAULT_HOST),
          values.integer(p + "port", PgStoreOptions.DEFAULT_PORT, 1, 65_535),
          values.nonBlankString(p + "database", PgStoreOptions.DEFAULT_DATABASE),
          values.nonBlankString(p + "user", PgStoreOptions.DEFAULT_USER),
          values.string(p + "password", ""),
          values.nonBlankString(p + "schema", PgStoreOptions.DEFAULT_SCHEMA),
          values.integer(p + "poolSize", PgStoreOptions.DEFAULT_POOL_SIZE, 1, maxInt),
          values.integer(p + "appendBatchMax", PgStoreOptions.DEFAULT_APPEND_BATCH_MAX, 1, maxInt),
          values.integer(p + "readBatchSize", PgStoreOptions.DEFAULT_READ_BATCH_SIZE, 1, maxInt),
          values.longValue(p + "pollIntervalMs", PgStoreOptions.DEFAULT_POLL_INTERVAL_MS, 1, Long.MAX_VALUE)), sizeLimit);
    } catch (IllegalArgumentException e) {
      // PgStoreOptions' own checks (the schema identifier) start with the key's name
      throw new ConfigException(quoteLeadingKey(e.getMessage()));
    }
  }

  private static String quoteLeadingKey(String message) {
    int space = message.indexOf(' ');
    if (message.startsWith("store.postgres.") && space > 0) {
      return "config key '" + message.substring(0, space) + "'" + message.substring(space);
    }
    return "invalid store.postgres settings: " + message;
  }
}
