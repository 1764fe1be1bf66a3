package io.herald.broker.redis;

import io.herald.async.OnContext;
import io.herald.broker.BrokerException;
import io.herald.broker.BrokerSubscription;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.MessageBroker;
import io.herald.broker.RawMessage;
import io.herald.broker.TypePatterns;
import io.herald.broker.support.BrokerState;
import io.herald.broker.support.GroupSubscription;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
public final class RedisBroker implements MessageBroker {

  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

  private static final String BIRTH_SCRIPT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('HSETNX', KEYS[1], ARGV[1], now)
      return tonumber(redis.call('HGET', KEYS[1], ARGV[1]))""";

  private final Vertx vertx;
  private final Context context;
  private final RedisBrokerOptions options;
  private final RedisKeys keys;
  private final RedisBinding binding;
  private final Set<RedisMember> members = new LinkedHashSet<>();
  private final BrokerState state = new BrokerState(this::name);
  private RedisConnection commands;
  private RedisPublisher publisher;

  /** Creates a broker with {@link RedisBrokerOptions#defaults()}. */
  public RedisBroker(Vertx vertx, EventRegistry registry) {
    this(vertx, RedisBrokerOptions.defaults(), registry);
  }

  /** @param registry the event types, to read the events of the entries */
  public RedisBroker(Vertx vertx, RedisBrokerOptions options, EventRegistry registry) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.keys = new RedisKeys(options.namespace());
    this.binding = new RedisBinding(Objects.requireNonNull(registry, "registry"));
    this.context = vertx.getOrCreateContext();
  }

  @Override
  public String name() {
    // user and password stay out of logs and health output
    return "redis " + options.connectionString().replaceFirst("//[^@/]*@", "//***@") + " (" + options.namespace() + ")";
  }

  public RedisBrokerOptions options() {
    return options;
  }

  /** Connects and checks that Redis answers; may be called again after a failed start. */
  @Override
  public Future<Void> start() {
    return state.start(context, () -> {
      commands = new RedisConnection(vertx, context, client(), name() + " commands", options.requestTimeoutMs());
      publisher = new RedisPublisher(context, commands, binding, keys, options);
      return commands.send(Request.cmd(Command.PING)).<Void>mapEmpty()
          .recover(err -> Future.failedFuture(new BrokerUnavailableException("broker '" + name()
              + "' cannot reach Redis: " + err.getMessage(), err)));
    }, () -> {
      publisher.close();
      commands.close();
    }, () -> { });
  }

  @Override
  public Future<Void> publish(RecordedEvent event) {
    Objects.requireNonNull(event, "event");
    if (!state.isStarted()) {
      return Future.failedFuture(notStarted());
    }
    return publisher.publish(List.of(event));
  }

  /** Pipelines the events in batches on one connection: one round trip per batch, list order kept. */
  @Override
  public Future<Void> publishAll(List<RecordedEvent> events) {
    Objects.requireNonNull(events, "events");
    if (!state.isStarted()) {
      return Future.failedFuture(notStarted());
    }
    return publisher.publish(events);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Completes once the group exists on every known stream and its birth is recorded. Fails with
   * {@link IllegalArgumentException} on a blank group or invalid patterns, {@link BrokerUnavailableException} when
   * not started or Redis does not answer.
   */
  @Override
  public Future<BrokerSubscription> subscribe(String group, List<String> typePatterns, DeliveryHandler handler) {
    TypePatterns patterns;
    try {
      Objects.requireNonNull(handler, "handler");
      if (group == null || group.isBlank() || group.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("group must be a non-blank name without whitespace, was '" + group + "'");
      }
      patterns = TypePatterns.of(typePatterns);
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture(e instanceof IllegalArgumentException ? e : new IllegalArgumentException(e.getMessage(), e));
    }
    if (!state.isStarted()) {
      return Future.failedFuture(notStarted());
    }
    Context caller = Vertx.currentContext();
    Context memberContext = caller != null ? caller : vertx.getOrCreateContext();
    String redisGroup = keys.group(group);
    Future<BrokerSubscription> joined = OnContext.of(context, commands.send(Request.cmd(Command.EVAL).arg(BIRTH_SCRIPT)
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
          if (!state.isStarted()) {
            return Future.failedFuture(notStarted());
          }
          members.add(member);
          member.start();
          log.info("{} joined group '{}' ({}) of broker '{}'", member.consumer(), group, patterns, name());
          // closing leaves the group: unsettled entries stay pending in Redis for the next active member to claim
          return Future.succeededFuture((BrokerSubscription) new GroupSubscription(member.group(),
              member.patterns().patterns(), () -> OnContext.of(Vertx.currentContext(), leave(member))));
        });
    return OnContext.of(caller, joined);
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
    if (!state.isStarted()) {
      return Future.failedFuture(notStarted());
    }
    String stream = keys.deadLetters(group);
    return OnContext.of(Vertx.currentContext(), commands.send(Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+")
            .arg("COUNT").arg(max))
        .map(reply -> Replies.entries(stream, reply).stream().map(binding::raw).toList()));
  }

  @Override
  public Future<Void> ping() {
    if (!state.isStarted()) {
      return Future.failedFuture(notStarted());
    }
    return OnContext.of(Vertx.currentContext(), commands.send(Request.cmd(Command.PING))
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(e instanceof BrokerUnavailableException ? e
            : new BrokerUnavailableException("broker '" + name() + "': PING failed: " + e.getMessage(), e))));
  }

  /** Closes every member (nothing unsettled is acked), fails publishes not confirmed yet, closes the connections. */
  @Override
  public Future<Void> close() {
    Context caller = Vertx.currentContext();
    Promise<Void> closed = Promise.promise();
    OnContext.run(context, () -> {
      if (!state.close() || commands == null) {
        closed.complete();
        return;
      }
      List<Future<Void>> leaving = new ArrayList<>();
      for (RedisMember member : List.copyOf(members)) {
        leaving.add(member.close());
      }
      members.clear();
      Future.join(leaving).onComplete(ar -> OnContext.run(context, () -> {
        publisher.close();
        commands.close()
            .onComplete(done -> {
              log.info("broker '{}' closed", name());
              closed.complete();
            });
      }));
    });
    return OnContext.of(caller, closed.future());
  }

  // -- for the members

  Future<Void> leave(RedisMember member) {
    Promise<Void> left = Promise.promise();
    OnContext.run(context, () -> {
      members.remove(member);
      member.leave().onComplete(ar -> left.complete());
    });
    return left.future();
  }

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

  private BrokerUnavailableException notStarted() {
    return state.unavailable();
  }
}
