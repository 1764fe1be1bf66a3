package io.herald.idempotency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Remembers the results of requests sent with an {@code Idempotency-Key}, so a retried request gets the first
 * result and causes no second effect. Keys are scoped (e.g. {@code POST /api/orders}) and expire after a time to live.
 * A claim that never gets a result (its request was lost in a crash) goes stale sooner: after the stale time a retry
 * acquires the key again, which is safe where the command's effect is keyed by the key itself
 * ({@link IdempotentIds}).
 */
public interface IdempotencyStore {

  /**
   * Claims a key for one request.
   *
   * @param scope       what the key applies to, e.g. the method and route
   * @param key         the client's key
   * @param fingerprint a digest of the request (body and relevant headers): a key reused for another request is a {@link Claim.Mismatch}
   */
  Future<Claim> claim(String scope, String key, String fingerprint);

  /** Stores the result of a claimed request; later claims of the key replay it. */
  Future<Void> complete(String scope, String key, JsonObject result);

  /**
   * Gives a claimed key up (the request failed before it had an effect), so a retry runs again. A request whose
   * outcome is unknown (it timed out, or the store failed after a commit that may have landed) must not release its
   * key: it stays in progress until {@link #complete} or until it goes stale.
   */
  Future<Void> release(String scope, String key);
}
