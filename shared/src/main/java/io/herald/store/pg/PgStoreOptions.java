package io.herald.store.pg;

import static io.herald.options.JsonOptions.requirePositive;

import io.herald.options.JsonOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

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

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,40}");

  public PgStoreOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    password = password == null ? "" : password;
    if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException("store.postgres.schema must be a lower-case identifier of at most 41 characters, was '" + schema + "'");
    }
    requirePositive("store.postgres.port", port);
    requirePositive("store.postgres.poolSize", poolSize);
    requirePositive("store.postgres.appendBatchMax", appendBatchMax);
    requirePositive("store.postgres.readBatchSize", readBatchSize);
    requirePositive("store.postgres.pollIntervalMs", pollIntervalMs);
  }

  public static PgStoreOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code store.postgres} section; absent keys take their defaults. */
  public static PgStoreOptions fromJson(JsonObject json) {
    JsonOptions in = JsonOptions.of(json, "store.postgres.");
    return new PgStoreOptions(
        in.string("host", DEFAULT_HOST),
        in.integer("port", DEFAULT_PORT),
        in.string("database", DEFAULT_DATABASE),
        in.string("user", DEFAULT_USER),
        in.string("password", ""),
        in.string("schema", DEFAULT_SCHEMA),
        in.integer("poolSize", DEFAULT_POOL_SIZE),
        in.integer("appendBatchMax", DEFAULT_APPEND_BATCH_MAX),
        in.integer("readBatchSize", DEFAULT_READ_BATCH_SIZE),
        in.number("pollIntervalMs", DEFAULT_POLL_INTERVAL_MS));
  }

  public PgStoreOptions withSchema(String newSchema) {
    return new PgStoreOptions(host, port, database, user, password, newSchema, poolSize, appendBatchMax, readBatchSize, pollIntervalMs);
  }

  public PgStoreOptions withPoolSize(int newPoolSize) {
    return new PgStoreOptions(host, port, database, user, password, schema, newPoolSize, appendBatchMax, readBatchSize, pollIntervalMs);
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("database", database).put("user", user)
        .put("password", password).put("schema", schema).put("poolSize", poolSize).put("appendBatchMax", appendBatchMax)
        .put("readBatchSize", readBatchSize).put("pollIntervalMs", pollIntervalMs);
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
}
