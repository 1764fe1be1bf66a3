package io.herald.broker.redis;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.herald.broker.TestEvents;
import io.herald.event.EventCodecs;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One Vert.x per test class, a namespace per test, brokers closed and the namespace's keys deleted after each test.
 */
abstract class RedisTestSupport {

  static final String REDIS = "redis://127.0.0.1:" + RedisBrokerIT.PORT;

  static Vertx vertx;
  static Redis raw;
  String namespace;
  private final List<RedisBroker> brokers = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    raw = Redis.createClient(vertx, new RedisOptions().setConnectionString(REDIS));
  }

  @AfterAll
  static void stopVertx() throws Exception {
    raw.close().await(5, SECONDS);
    vertx.close().await(10, SECONDS);
  }

  @BeforeEach
  void newNamespace() {
    namespace = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @AfterEach
  void closeBrokers() throws Exception {
    for (RedisBroker broker : brokers) {
      broker.close().await(20, SECONDS);
    }
    brokers.clear();
    RedisTestKeys.delete(raw, namespace).await(10, SECONDS);
  }

  /** @return a started broker on the real Redis, with the quick test options changed by {@code tweak} */
  RedisBroker started(UnaryOperator<JsonObject> tweak) throws Exception {
    return started(REDIS.substring("redis://".length()).split(":")[0], RedisBrokerIT.PORT, tweak);
  }

  RedisBroker started(String host, int port, UnaryOperator<JsonObject> tweak) throws Exception {
    JsonObject json = tweak.apply(RedisBrokerIT.fastOptions(namespace, host, port));
    RedisBroker broker = new RedisBroker(vertx, RedisBrokerOptions.fromJson(json), BlueprintEvents.registry());
    brokers.add(broker);
    broker.start().await(20, SECONDS);
    return broker;
  }

  /** @return the future's result, waiting at most ten seconds (usable inside lambdas) */
  static <T> T get(io.vertx.core.Future<T> future) {
    try {
      return future.await(10, SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no result within 10 s", e);
    }
  }

  static void await(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
      }
      TestEvents.pause(10);
    }
  }
}
