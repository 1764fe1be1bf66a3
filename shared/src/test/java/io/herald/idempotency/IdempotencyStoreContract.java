package io.herald.idempotency;

import io.herald.testing.Futures;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The behaviour every idempotency store must show; each test uses its own keys. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class IdempotencyStoreContract {

  protected Vertx vertx;

  /** @return a store that remembers results for {@code ttlMs} and holds claims without one for {@code staleMs} */
  protected abstract IdempotencyStore store(long ttlMs, long staleMs);

  /** @return a store that remembers keys for {@code ttlMs} */
  protected IdempotencyStore store(long ttlMs) {
    return store(ttlMs, ttlMs);
  }

  /** Lets {@code ms} of the store's time pass. */
  protected abstract void elapse(long ms) throws InterruptedException;

  @BeforeAll
  void startVertx() throws Exception {
    vertx = Vertx.vertx();
    open();
  }

  protected void open() throws Exception {
  }

  @AfterAll
  void stopVertx() throws Exception {
    close();
    vertx.close().await();
  }

  protected void close() throws Exception {
  }

  static <T> T await(Future<T> future) {
    return Futures.await(future);
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  @Test
  @DisplayName("a new key is acquired; its retry is in progress, then replays the stored result")
  void lifecycle() {
    IdempotencyStore store = store(60_000);
    String key = key();
    JsonObject result = new JsonObject().put("status", 202).put("body", new JsonObject().put("orderId", "o-1").put("position", 7));

    assertThat(await(store.claim("POST /api/orders", key, "f1"))).isInstanceOf(Claim.Acquired.class);
    assertThat(await(store.claim("POST /api/orders", key, "f1"))).isInstanceOf(Claim.InProgress.class);
    await(store.complete("POST /api/orders", key, result));

    assertThat(await(store.claim("POST /api/orders", key, "f1"))).isEqualTo(new Claim.Replay(result));
  }

  @Test
  @DisplayName("a key reused for a different request is a mismatch, and scopes do not share keys")
  void mismatchAndScopes() {
    IdempotencyStore store = store(60_000);
    String key = key();
    await(store.claim("POST /api/orders", key, "f1"));

    assertThat(await(store.claim("POST /api/orders", key, "f2"))).isInstanceOf(Claim.Mismatch.class);
    assertThat(await(store.claim("POST /api/users", key, "f2"))).isInstanceOf(Claim.Acquired.class);
  }

  @Test
  @DisplayName("a released key runs again, a completed one is not released")
  void release() {
    IdempotencyStore store = store(60_000);
    String failed = key();
    String done = key();
    await(store.claim("s", failed, "f"));
    await(store.release("s", failed));
    await(store.claim("s", done, "f"));
    await(store.complete("s", done, new JsonObject().put("status", 202)));
    await(store.release("s", done));

    assertThat(await(store.claim("s", failed, "f"))).isInstanceOf(Claim.Acquired.class);
    assertThat(await(store.claim("s", done, "f"))).isInstanceOf(Claim.Replay.class);
  }

  @Test
  @DisplayName("an expired key is acquired again")
  void expiry() throws Exception {
    IdempotencyStore store = store(50);
    String key = key();
    await(store.claim("s", key, "f"));
    await(store.complete("s", key, new JsonObject().put("status", 202)));

    elapse(200);

    assertThat(await(store.claim("s", key, "other"))).isInstanceOf(Claim.Acquired.class);
  }

  @Test
  @DisplayName("a claim that never got a result goes stale: until the stale time a retry is in progress, then it is acquired")
  void staleClaim() throws Exception {
    IdempotencyStore store = store(60_000, 300);
    String key = key();
    await(store.claim("s", key, "f"));

    assertThat(await(store.claim("s", key, "f"))).isInstanceOf(Claim.InProgress.class);
    elapse(600);

    assertThat(await(store.claim("s", key, "f"))).isInstanceOf(Claim.Acquired.class);
    assertThat(await(store.claim("s", key, "f"))).isInstanceOf(Claim.InProgress.class);
  }

  @Test
  @DisplayName("a result is kept for the time to live, not only for the stale time of its claim")
  void resultOutlivesStaleTime() throws Exception {
    IdempotencyStore store = store(60_000, 50);
    String key = key();
    JsonObject result = new JsonObject().put("status", 202);
    await(store.claim("s", key, "f"));
    await(store.complete("s", key, result));

    elapse(200);

    assertThat(await(store.claim("s", key, "f"))).isEqualTo(new Claim.Replay(result));
  }

  @Test
  @DisplayName("of many concurrent claims of one key exactly one is acquired")
  void concurrentClaims() {
    IdempotencyStore store = store(60_000);
    String key = key();
    List<Future<Claim>> claims = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      claims.add(store.claim("s", key, "f"));
    }
    await(Future.all(claims));

    assertThat(claims).filteredOn(c -> c.result() instanceof Claim.Acquired).hasSize(1);
    assertThat(claims).filteredOn(c -> c.result() instanceof Claim.InProgress).hasSize(19);
  }
}
