package io.herald.broker.redis;

import io.herald.async.OnContext;
import io.herald.broker.support.ActiveMemberLease;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * A group's lease in Redis: the key {@code <ns>.lease.<group>} holds the active member's id with a TTL; a script takes
 * it with {@code SET ... NX PX} or extends the holder's own, another gives it up only when it is still ours.
 */
final class RedisLease implements ActiveMemberLease {

  private static final String LEASE_SCRIPT = """
      local v = redis.call('GET', KEYS[1])
      if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
      if v then return 0 end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1""";
  private static final String RELEASE_SCRIPT = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0""";

  private final Context context;
  private final RedisConnection commands;
  private final String key;
  private final String holder;
  private final long leaseMs;

  RedisLease(Context context, RedisConnection commands, String key, String holder, long leaseMs) {
    this.context = context;
    this.commands = commands;
    this.key = key;
    this.holder = holder;
    this.leaseMs = leaseMs;
  }

  @Override
  public Future<Boolean> hold(long timeoutMs) {
    Request acquire = Request.cmd(Command.EVAL).arg(LEASE_SCRIPT).arg(1).arg(key).arg(holder).arg(leaseMs);
    return OnContext.of(context, commands.send(acquire, timeoutMs))
        .map(reply -> reply != null && reply.toInteger() == 1);
  }

  @Override
  public Future<Void> release() {
    return OnContext.of(context, commands.send(Request.cmd(Command.EVAL).arg(RELEASE_SCRIPT).arg(1).arg(key)
        .arg(holder))).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }
}
