package io.herald.broker.redis;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.herald.broker.MessageBroker;
import io.herald.broker.MessageBrokerContract;
import io.herald.broker.RawMessage;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The Redis Streams broker, against the broker contract")
class RedisBrokerIT extends MessageBrokerContract {

  static final int PORT = 6379;

  private static final List<String> NAMESPACES = new CopyOnWriteArrayList<>();

  private Redis raw;

  /** Options that make tests quick: short leases, blocks and retries. */
  static JsonObject fastOptions(String namespace, String host, int port) {
    return new JsonObject()
        .put("connectionString", "redis://" + host + ":" + port)
        .put("namespace", namespace)
        .put("blockMs", 500)
        .put("discoveryIntervalMs", 200)
        .put("leaseMs", 3_000)
        .put("requestTimeoutMs", 2_000)
        .put("redeliveryBaseMs", 10)
        .put("redeliveryCapMs", 50)
        .put("claimMinIdleMs", 5_000)
        .put("reconnectBaseMs", 50)
        .put("reconnectCapMs", 500);
  }

  @Override
  protected MessageBroker newBroker(Vertx vertx, String namespace, String host, int port) {
    return new RedisBroker(vertx, RedisBrokerOptions.fromJson(fastOptions(namespace, host, port)),
        BlueprintEvents.registry());
  }

  @Override
  protected int brokerPort() {
    return PORT;
  }

  /** An entry written with the raw client, as a third party would: the binding's fields, junk in {@code event}. */
  @Override
  protected Future<Void> publishForeign(String namespace, String aggregateType, String type, Buffer body) {
    Redis client = raw();
    return client.send(Request.cmd(Command.SADD).arg(namespace + ".streams").arg(aggregateType))
        .compose(v -> client.send(Request.cmd(Command.XADD).arg(namespace + "." + aggregateType).arg("*")
            .arg("type").arg(type).arg("stream").arg(aggregateType + "-foreign").arg("event").arg(body)))
        .mapEmpty();
  }

  @Override
  protected Future<List<RawMessage>> deadLettersOf(MessageBroker broker, String namespace, String group) {
    String stream = namespace + ".dead." + group;
    // a key that is not a stream (see blockDeadLetters) holds no dead letters
    return raw().send(Request.cmd(Command.TYPE).arg(stream)).compose(type -> "stream".equals(type.toString())
        ? raw().send(Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+"))
            .map(reply -> Replies.entries(stream, reply).stream().map(RedisBrokerIT::asRawMessage).toList())
        : Future.succeededFuture(List.of()));
  }

  // read with the raw client only: payload = the event field, headers = every other field
  private static RawMessage asRawMessage(StreamEntry entry) {
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    entry.fields().forEach((k, v) -> {
      if (!k.equals("event")) {
        headers.put(k, v.toString());
      }
    });
    return new RawMessage(entry.fields().getOrDefault("event", Buffer.buffer()), headers, entry.destination());
  }

  private Redis raw() {
    if (raw == null) {
      raw = Redis.createClient(vertx, "redis://127.0.0.1:" + PORT);
    }
    return raw;
  }

  // brokers are closed after this class's @AfterEach methods, so the keys go once every test is done
  @AfterEach
  void rememberNamespace() throws Exception {
    NAMESPACES.add(namespace);
    if (raw != null) {
      raw.close().await(5, SECONDS);
      raw = null;
    }
  }

  @AfterAll
  static void dropKeys() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + PORT);
      for (String ns : NAMESPACES) {
        RedisTestKeys.delete(client, ns).await(10, SECONDS);
      }
      client.close().await(5, SECONDS);
    } finally {
      vertx.close().await(5, SECONDS);
    }
  }

  // a plain string where the dead stream belongs: XADD fails with WRONGTYPE until the key is gone
  @Override
  protected Unblock blockDeadLetters(MessageBroker broker, String namespace, String group) throws Exception {
    String key = namespace + ".dead." + group;
    raw().send(Request.cmd(Command.SET).arg(key).arg("not a stream")).await(5, SECONDS);
    return () -> raw().send(Request.cmd(Command.DEL).arg(key)).await(5, SECONDS);
  }
}
