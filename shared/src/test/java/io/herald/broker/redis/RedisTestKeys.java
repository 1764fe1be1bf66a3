package io.herald.broker.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** Removes what a test left in Redis under its namespace, so the shared server does not fill up. */
final class RedisTestKeys {

  private RedisTestKeys() {
  }

  static Future<Void> delete(Redis redis, String namespace) {
    return redis.send(Request.cmd(Command.KEYS).arg(namespace + ".*")).compose(keys -> {
      List<String> names = new ArrayList<>();
      if (keys != null) {
        for (Response k : keys) {
          names.add(k.toString());
        }
      }
      if (names.isEmpty()) {
        return Future.succeededFuture();
      }
      Request del = Request.cmd(Command.DEL);
      names.forEach(del::arg);
      return redis.send(del).mapEmpty();
    });
  }
}
