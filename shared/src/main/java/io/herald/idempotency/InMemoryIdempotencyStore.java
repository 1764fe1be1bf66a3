package io.herald.idempotency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Idempotency keys kept in this process, for the embedded profile. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

  private record Entry(String fingerprint, JsonObject result, long expiresAt) {
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final long ttlMs;
  private final long staleMs;
  private final Clock clock;

  /** As {@link #InMemoryIdempotencyStore(long, long, Clock)} with a claim held for the whole time to live. */
  public InMemoryIdempotencyStore(long ttlMs, Clock clock) {
    this(ttlMs, ttlMs, clock);
  }

  /**
   * @param ttlMs   how long a key's result is remembered, in milliseconds
   * @param staleMs how long a claim without a result holds its key, in milliseconds; after that a retry acquires it
   */
  public InMemoryIdempotencyStore(long ttlMs, long staleMs, Clock clock) {
    this.ttlMs = ttlMs;
    this.staleMs = staleMs;
    this.clock = clock;
  }

  @Override
  public Future<Claim> claim(String scope, String key, String fingerprint) {
    long now = clock.millis();
    // a claim expires when stale: a request lost in a crash must not hold its key for the whole time to live
    Entry fresh = new Entry(fingerprint, null, now + staleMs);
    Entry[] found = new Entry[1];
    entries.compute(id(scope, key), (k, existing) -> {
      if (existing == null || existing.expiresAt() <= now) {
        return fresh;
      }
      found[0] = existing;
      return existing;
    });
    return Future.succeededFuture(classify(found[0], fingerprint));
  }

  private static Claim classify(Entry existing, String fingerprint) {
    if (existing == null) {
      return new Claim.Acquired();
    }
    if (!existing.fingerprint().equals(fingerprint)) {
      return new Claim.Mismatch();
    }
    return existing.result() == null ? new Claim.InProgress() : new Claim.Replay(existing.result().copy());
  }

  @Override
  public Future<Void> complete(String scope, String key, JsonObject result) {
    long expiresAt = clock.millis() + ttlMs;
    entries.computeIfPresent(id(scope, key), (k, e) -> new Entry(e.fingerprint(), result.copy(), expiresAt));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> release(String scope, String key) {
    entries.computeIfPresent(id(scope, key), (k, e) -> e.result() == null ? null : e);
    return Future.succeededFuture();
  }

  private static String id(String scope, String key) {
    return scope + '\n' + key;
  }
}
