package io.herald.idempotency;

import io.herald.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Idempotency keys in the store's schema ({@code idempotency_keys}, created by the store's migrations), shared by
 * every process on the database, so a retry that reaches another node still replays the first result.
 */
public final class PgIdempotencyStore implements IdempotencyStore {

  private final Pool pool;
  private final long ttlMs;
  private final long staleMs;

  /** As {@link #PgIdempotencyStore(Pool, long, long)} with a claim held for the whole time to live. */
  public PgIdempotencyStore(Pool pool, long ttlMs) {
    this(pool, ttlMs, ttlMs);
  }

  /**
   * @param pool    a pool whose connections use the store's schema (for example {@code PgEventStore.pool()})
   * @param ttlMs   how long a key's result is remembered, in milliseconds
   * @param staleMs how long a claim without a result holds its key, in milliseconds; after that a retry acquires it
   */
  public PgIdempotencyStore(Pool pool, long ttlMs, long staleMs) {
    this.pool = pool;
    this.ttlMs = ttlMs;
    this.staleMs = staleMs;
  }

  @Override
  public Future<Claim> claim(String scope, String key, String fingerprint) {
    // an expired key is taken over; a live one is left alone and read back. A claim expires when stale (a request
    // lost in a crash must not hold its key for the whole time to live); its result, once known, lives for the TTL.
    return pool.preparedQuery("INSERT INTO idempotency_keys (scope, key, fingerprint, expires_at)"
            + " VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')"
            + " ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, result = NULL,"
            + " expires_at = EXCLUDED.expires_at WHERE idempotency_keys.expires_at <= now()"
            + " RETURNING 1")
        .execute(Tuple.of(scope, key, fingerprint, staleMs))
        .compose(inserted -> inserted.size() == 1
            ? Future.<Claim>succeededFuture(new Claim.Acquired())
            : existing(scope, key, fingerprint))
        .recover(this::unavailable);
  }

  private Future<Claim> existing(String scope, String key, String fingerprint) {
    return pool.preparedQuery("SELECT fingerprint, result FROM idempotency_keys WHERE scope = $1 AND key = $2")
        .execute(Tuple.of(scope, key))
        .compose(rows -> {
          if (rows.size() == 0) {
            return claim(scope, key, fingerprint);   // released in between: try again
          }
          Row row = rows.iterator().next();
          if (!row.getString(0).equals(fingerprint)) {
            return Future.succeededFuture(new Claim.Mismatch());
          }
          Object result = row.getValue(1);
          return Future.succeededFuture(result == null ? new Claim.InProgress() : new Claim.Replay((JsonObject) result));
        });
  }

  @Override
  public Future<Void> complete(String scope, String key, JsonObject result) {
    return pool.preparedQuery("UPDATE idempotency_keys SET result = $3, expires_at = now() + $4 * interval '1 millisecond'"
            + " WHERE scope = $1 AND key = $2")
        .execute(Tuple.of(scope, key, result, ttlMs))
        .<Void>mapEmpty()
        .recover(this::unavailable);
  }

  @Override
  public Future<Void> release(String scope, String key) {
    return pool.preparedQuery("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND result IS NULL")
        .execute(Tuple.of(scope, key))
        .<Void>mapEmpty()
        .recover(this::unavailable);
  }

  private <T> Future<T> unavailable(Throwable err) {
    if (err instanceof PgException) {
      return Future.failedFuture(err);
    }
    return Future.failedFuture(new StoreUnavailableException("idempotency keys are unavailable: " + err.getMessage(), err));
  }
}
