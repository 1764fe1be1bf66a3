package io.herald.store.pg;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The local PostgreSQL used by tests: one fresh schema per test class, so runs never see each other's data. */
public final class PgTestDatabase {

  private PgTestDatabase() {
  }

  /** @return options pointing at a new, not yet existing schema named after {@code prefix} */
  public static PgStoreOptions freshSchema(String prefix) {
    String schema = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase();
    return PgStoreOptions.defaults().withSchema(schema);
  }

  /** Drops a schema and everything in it. */
  public static void drop(Vertx vertx, PgStoreOptions options) {
    Pool admin = PgBuilder.pool().connectingTo(options.withSchema("public").connectOptions()).using(vertx).build();
    try {
      admin.query("DROP SCHEMA IF EXISTS " + options.schema() + " CASCADE").execute().await();
    } finally {
      admin.close().await();
    }
  }

  /** Runs one SQL statement in the options' schema, for tests that plant rows the store would never write. */
  public static void execute(Vertx vertx, PgStoreOptions options, String sql) {
    Pool admin = PgBuilder.pool().connectingTo(options.connectOptions()).using(vertx).build();
    try {
      admin.query(sql).execute().await();
    } finally {
      admin.close().await();
    }
  }
}
