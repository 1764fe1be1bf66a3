package io.herald.store.pg;

import static io.herald.options.Rule.matches;
import static io.herald.options.Rule.notBlank;
import static io.herald.options.Rule.positive;

import io.herald.options.OptionsSchema;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Map;

/**
 * Settings of the PostgreSQL event store, read from the {@code store.postgres} config section.
 *
 * @param host           server host; default {@value #DEFAULT_HOST}
 * @param port           server port; default {@value #DEFAULT_PORT}
 * @param database       database name; default {@value #DEFAULT_DATABASE}
 * @param user           user; default {@value #DEFAULT_USER}
 * @param password       password; empty for trust authentication
 * @param schema         schema holding Herald's tables, created if missing; lower-case identifier; default {@value #DEFAULT_SCHEMA}
 * @param poolSize       connections for reads and appends; default {@value #DEFAULT_POOL_SIZE}
 * @param appendBatchMax most appends that share one round trip and commit (group commit); default {@value #DEFAULT_APPEND_BATCH_MAX}
 * @param readBatchSize  events per page read by subscriptions; default {@value #DEFAULT_READ_BATCH_SIZE}
 * @param pollIntervalMs how long a caught-up subscription waits for a commit notification before reading anyway, in milliseconds;
 *                       default {@value #DEFAULT_POLL_INTERVAL_MS}
 */
public record PgStoreOptions(String host, int port, String database, String user, String password, String schema,
                             int poolSize, int appendBatchMax, int readBatchSize, long pollIntervalMs) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5432;
  public static final String DEFAULT_DATABASE = "test";
  public static final String DEFAULT_USER = "postgres";
  public static final String DEFAULT_SCHEMA = "herald";
  public static final int DEFAULT_POOL_SIZE = 8;
  public static final int DEFAULT_APPEND_BATCH_MAX = 256;
  public static final int DEFAULT_READ_BATCH_SIZE = 1_000;
  public static final long DEFAULT_POLL_INTERVAL_MS = 1_000;

  private static final OptionsSchema<PgStoreOptions> SCHEMA = OptionsSchema.of(PgStoreOptions.class, "store.postgres")
      .key("host", DEFAULT_HOST, notBlank())
      .key("port", DEFAULT_PORT, positive())
      .key("database", DEFAULT_DATABASE, notBlank())
      .key("user", DEFAULT_USER, notBlank())
      .key("password", "")
      .key("schema", DEFAULT_SCHEMA,
          matches("[a-z_][a-z0-9_]{0,40}", "must be a lower-case identifier of at most 41 characters"))
      .key("poolSize", DEFAULT_POOL_SIZE, positive())
      .key("appendBatchMax", DEFAULT_APPEND_BATCH_MAX, positive())
      .key("readBatchSize", DEFAULT_READ_BATCH_SIZE, positive())
      .key("pollIntervalMs", DEFAULT_POLL_INTERVAL_MS, positive())
      .build();

  public PgStoreOptions {
    password = password == null ? "" : password;
    SCHEMA.check(host, port, database, user, password, schema, poolSize, appendBatchMax, readBatchSize, pollIntervalMs);
  }

  public static PgStoreOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code store.postgres} section; absent keys take their defaults. */
  public static PgStoreOptions fromJson(JsonObject json) {
    return SCHEMA.read(json);
  }

  public PgStoreOptions withSchema(String newSchema) {
    return SCHEMA.with(this, "schema", newSchema);
  }

  public PgStoreOptions withPoolSize(int newPoolSize) {
    return SCHEMA.with(this, "poolSize", newPoolSize);
  }

  public JsonObject toJson() {
    return SCHEMA.write(this);
  }

  /** @return where the store lives, without credentials: {@code host:port/database (schema s)} */
  public String address() {
    return host + ":" + port + "/" + database + " (schema " + schema + ")";
  }

  /**
   * Connection options with the schema first on the search path, so every statement runs in it, and READ COMMITTED
   * pinned for the session whatever the database's or the role's default: reads are gap-safe only when the page is
   * read with a snapshot taken after the safe head (see {@code read_all}).
   */
  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(host).setPort(port).setDatabase(database).setUser(user).setPassword(password)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .setProperties(Map.of("search_path", schema, "application_name", "herald",
            "default_transaction_isolation", "read committed"));
  }

  /** Without the password: options end up in logs and error messages. */
  @Override
  public String toString() {
    return "PgStoreOptions" + toJson().put("password", password.isEmpty() ? "" : "***").encode();
  }
}
