package io.herald.broker.redis;

import io.herald.async.OnContext;
import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.RawMessage;
import io.herald.broker.TypePatterns;
import io.herald.broker.support.AbstractBroker;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis Streams broker: one stream per aggregate type, one Redis consumer group per Herald group, the
 * CloudEvents structured JSON binding in each entry (see the package documentation).
 *
 * <p><b>Publishing.</b> XADD to {@code <ns>.<aggregatetype>}, confirmed by its reply; publishes are pipelined in
 * batches on one connection, in order (see {@link RedisBrokerOptions#publishBatchSize()}). A failed publish may
 * still have been applied (its reply was lost): retrying gives at-least-once.
 *
 * <p><b>Groups.</b> The first {@link #subscribe} of a group records its birth, the Redis server time, in
 * {@code <ns>.groups}; on every stream the group is created just before that time, so it receives every event added
 * since, whether its stream existed then or was created later (the active member finds new streams in the
 * registry set {@code <ns>.streams}, which publishing keeps up to date). Later subscriptions of the group continue
 * from what it acked. One member of a group reads at a time (see {@link RedisMember}); the others stand by.
 *
 * <p><b>Outages.</b> Every connection reconnects on its next command; members retry with backoff, claim back what
 * may have been delivered to them while the connection was failing, and continue. {@link #ping()} fails while Redis
 * does not answer.
 *
 * <p><b>Threads.</b> Publishing state lives on the context the broker was created on; each member on the context
 * it subscribed from (a new event-loop context when subscribed from outside Vert.x). Futures complete on the
 * caller's context; no call blocks.
 */
public final class RedisBroker extends AbstractBroker<RedisMember, RedisBrokerOptions> {

  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

  private static final String BIRTH_SCRIPT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('HSETNX', KEYS[1], ARGV[1], now)
      return tonumber(redis.call('HGET', KEYS[1], ARGV[1]))""";

  private final RedisKeys keys;
  private final RedisBinding binding;
  private RedisConnection commands;
  private RedisPublisher publisher;

  /** Creates a broker with {@link RedisBrokerOptions#defaults()}. */
  public RedisBroker(Vertx vertx, EventRegistry registry) {
    this(vertx, RedisBrokerOptions.defaults(), registry);
  }

  /** @param registry the event types, to read the events of the entries */
  public RedisBroker(Vertx vertx, RedisBrokerOptions options, EventRegistry registry) {
    super(vertx, options);
    this.keys = new RedisKeys(options.namespace());
    this.binding = new RedisBinding(Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public String name() {
    // user and password stay out of logs and health output
    return "redis " + options.connectionString().replaceFirst("//[^@/]*@", "//***@") + " (" + options.namespace() + ")";
  }

  /** Connects and checks that Redis answers. */
  @Override
  protected Future<Void> open() {
    commands = new RedisConnection(vertx, context, client(), name() + " commands", options.requestTimeoutMs());
    publisher = new RedisPublisher(context, commands, binding, keys, options);
    return commands.send(Request.cmd(Command.PING)).<Void>mapEmpty()
        .recover(err -> Future.failedFuture(new BrokerUnavailableException("broker '" + name()
            + "' cannot reach Redis: " + err.getMessage(), err)));
  }

  @Override
  public Future<Void> publish(RecordedEvent event) {
    Objects.requireNonNull(event, "event");
    return whenStarted(() -> publisher.publish(List.of(event)));
  }

  /** Pipelines the events in batches on one connection: one round trip per batch, list order kept. */
  @Override
  public Future<Void> publishAll(List<RecordedEvent> events) {
    Objects.requireNonNull(events, "events");
    return whenStarted(() -> publisher.publish(events));
  }

  /**
   * Records the group's birth, creates the group on every known stream, and starts a member competing for the
   * group's lease. Fails with {@link BrokerUnavailableException} when Redis does not answer.
   */
  @Override
  protected Future<RedisMember> join(String group, TypePatterns patterns, DeliveryHandler handler, Context memberContext) {
    String redisGroup = keys.group(group);
    return OnContext.of(context, commands.send(Request.cmd(Command.EVAL).arg(BIRTH_SCRIPT)
            .arg(1).arg(keys.groups()).arg(group)))
        .compose(birth -> commands.send(Request.cmd(Command.SMEMBERS).arg(keys.registry()))
            .compose(types -> {
              String startId = RedisMember.startId(birth.toLong());
              List<String> streams = new ArrayList<>();
              List<Future<Void>> created = new ArrayList<>();
              if (types != null) {
                for (Response type : types) {
                  String stream = keys.stream(type.toString());
                  streams.add(stream);
                  created.add(ensureGroup(stream, redisGroup, startId));
                }
              }
              return Future.all(created).map(all -> new RedisMember(this, vertx, memberContext, group, patterns,
                  birth.toLong(), streams, handler));
            }))
        .compose(member -> {
          // closing leaves the group: unsettled entries stay pending in Redis for the next active member to claim
          log.info("{} joined group '{}' ({}) of broker '{}'", member.id(), group, patterns, name());
          return member.start().map(member);
        });
  }

  /** @throws io.herald.broker.UndecodableMessageException when the message's payload is not a Herald CloudEvent */
  @Override
  public RecordedEvent decode(RawMessage message) {
    return binding.decode(Objects.requireNonNull(message, "message"));
  }

  /**
   * Reads a group's dead letters, oldest first: each is the original entry ({@code event} as payload, the other
   * fields as headers, the {@code herald-dead-letter-*} fields among them), from {@code <ns>.dead.<group>}.
   *
   * @param max most letters to return
   */
  public Future<List<RawMessage>> deadLetters(String group, int max) {
    String stream = keys.deadLetters(group);
    return whenStarted(() -> OnContext.of(Vertx.currentContext(), commands.send(Request.cmd(Command.XRANGE).arg(stream)
            .arg("-").arg("+").arg("COUNT").arg(max))
        .map(reply -> Replies.entries(stream, reply).stream().map(binding::raw).toList())));
  }

  @Override
  public Future<Void> ping() {
    return whenStarted(() -> OnContext.of(Vertx.currentContext(), commands.send(Request.cmd(Command.PING))
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(e instanceof BrokerUnavailableException ? e
            : new BrokerUnavailableException("broker '" + name() + "': PING failed: " + e.getMessage(), e)))));
  }

  /** Fails publishes not confirmed yet and closes the connection, once every member is closed. */
  @Override
  protected Future<Void> closeClients() {
    if (commands == null) {
      return Future.succeededFuture();
    }
    publisher.close();
    return commands.close();
  }

  // -- for the members

  /** Creates the Redis group on {@code stream} at {@code startId} unless it exists (the stream too, if missing). */
  Future<Void> ensureGroup(String stream, String redisGroup, String startId) {
    return commands.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(redisGroup).arg(startId)
            .arg("MKSTREAM"))
        .<Void>mapEmpty()
        .recover(e -> RedisConnection.isError(e, "BUSYGROUP") ? Future.succeededFuture()
            : Future.failedFuture(e instanceof BrokerException ? e
                : new BrokerException("cannot create group " + redisGroup + " on " + stream + ": " + e.getMessage(), e)));
  }

  RedisKeys keys() {
    return keys;
  }

  RedisBinding binding() {
    return binding;
  }

  RedisConnection commands() {
    return commands;
  }

  /** @return what makes a client for one link: each link owns its connection */
  Supplier<Redis> client() {
    return () -> Redis.createClient(vertx, redisOptions());
  }

  private RedisOptions redisOptions() {
    int pipelined = options.publishBatchSize() * (options.publishPipeline() + 1) + 1_024;
    return new RedisOptions()
        .setConnectionString(options.connectionString())
        .setPreferredProtocolVersion("resp2".equals(options.protocol()) ? ProtocolVersion.RESP2 : ProtocolVersion.RESP3)
        .setMaxPoolSize(256)
        .setMaxPoolWaiting(1_024)
        .setMaxWaitingHandlers(Math.max(2_048, pipelined))
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.requestTimeoutMs()))
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true));
  }
}
