package io.herald.store.pg;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the store's schema and applies the project's versioned SQL files ({@code migrations/V<n>__<name>.sql})
 * that it has not applied yet, each once, in order, in one transaction. An advisory lock keeps two processes
 * starting at once from migrating the same schema twice.
 */
final class SchemaMigrator {

  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

  /** The migrations in order; append new files here, never edit an applied one. */
  static final List<String> MIGRATIONS = List.of("V1__event_store.sql", "V2__idempotency_keys.sql", "V3__documents.sql",
      "V4__store_tagged_blocks.sql", "V5__dead_letters_and_inbox.sql", "V6__sagas.sql",
      "V7__checkpoint_fencing.sql", "V8__cancel_safe_allocation_lock.sql", "V9__probed_safe_head.sql",
      "V10__role_leases.sql", "V11__generic_append_plans.sql", "V12__plan_stable_reads.sql",
      "V13__saga_status_counts.sql", "V14__documents_gin_without_pending_list.sql",
      "V15__documents_content_index_per_collection.sql", "V16__notify_after_commit.sql");

  private final Vertx vertx;
  private final Pool pool;
  private final String schema;

  SchemaMigrator(Vertx vertx, Pool pool, String schema) {
    this.vertx = vertx;
    this.pool = pool;
    this.schema = schema;
  }

  /** @return the number of migrations applied by this call */
  Future<Integer> migrate() {
    return pool.withTransaction(conn -> conn
        .query("SELECT pg_advisory_xact_lock(hashtext('herald.migrate." + schema + "'))").execute()
        .compose(v -> conn.query("SET LOCAL client_min_messages TO warning; CREATE SCHEMA IF NOT EXISTS " + schema + "; SET LOCAL search_path TO " + schema
            + "; CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
            + " applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(v -> conn.query("SELECT version FROM schema_migrations").execute())
        .compose(rows -> {
          Set<Integer> applied = new HashSet<>();
          for (Row row : rows) {
            applied.add(row.getInteger(0));
          }
          return applyMissing(conn, applied, 0, 0);
        }));
  }

  private Future<Integer> applyMissing(SqlConnection conn, Set<Integer> applied, int index, int count) {
    if (index == MIGRATIONS.size()) {
      return Future.succeededFuture(count);
    }
    String file = MIGRATIONS.get(index);
    int version = versionOf(file);
    if (applied.contains(version)) {
      return applyMissing(conn, applied, index + 1, count);
    }
    return read(file)
        .compose(sql -> conn.query(sql).execute())
        .compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
            .execute(Tuple.of(version, file)))
        .onSuccess(v -> log.info("schema {}: applied migration {}", schema, file))
        .compose(v -> applyMissing(conn, applied, index + 1, count + 1));
  }

  private static int versionOf(String file) {
    return Integer.parseInt(file.substring(1, file.indexOf("__")));
  }

  // Vert.x's file system falls back to the classpath, and reads without blocking the event loop
  private Future<String> read(String file) {
    String path = "io/herald/store/pg/migrations/" + file;
    return vertx.fileSystem().readFile(path)
        .map(Buffer::toString)
        .recover(err -> Future.failedFuture(new IllegalStateException("migration " + path + " cannot be read: " + err.getMessage(), err)));
  }

}
