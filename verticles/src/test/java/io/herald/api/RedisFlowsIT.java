package io.herald.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The platform on PostgreSQL and Redis Streams")
class RedisFlowsIT extends BrokerFlowsContract {

  @Override
  protected String profile() {
    return "redis";
  }

  @Override
  protected int brokerPort() {
    return 6379;
  }

  @Override
  protected Map<String, String> brokerSettings(String host, int port) {
    return Map.of("broker.redis.connectionString", "redis://" + host + ":" + port, "broker.redis.namespace", namespace,
        "broker.redis.reconnectCapMs", "1000", "broker.redis.leaseMs", "3000", "broker.redis.requestTimeoutMs", "2000");
  }

  // a third party's Redis client appending junk to the stream the group reads (announced in <namespace>.streams)
  @Override
  protected Future<Void> publishForeign(Vertx vertx, String aggregateType, String type, Buffer body) {
    Redis client = Redis.createClient(vertx, "redis://127.0.0.1:6379");
    return client.send(Request.cmd(Command.SADD).arg(namespace + ".streams").arg(aggregateType))
        .compose(added -> client.send(Request.cmd(Command.XADD).arg(namespace + "." + aggregateType).arg("*")
            .arg("type").arg(type).arg("stream").arg(aggregateType + "-foreign").arg("event").arg(body)))
        .eventually(client::close)
        .mapEmpty();
  }
}
