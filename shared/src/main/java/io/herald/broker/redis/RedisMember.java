package io.herald.broker.redis;

import io.herald.async.Backoff;
import io.herald.async.OnContext;
import io.herald.broker.BrokerException;
import io.herald.broker.DeadLetterHeaders;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.TypePatterns;
import io.herald.broker.lanes.MemberMessage;
import io.herald.broker.lanes.StreamLanes;
import io.herald.broker.support.ActiveMember;
import io.herald.broker.support.ActiveMemberLease;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription of a consumer group. Redis would spread a group's entries over its consumers and so break the
 * order of each aggregate, so only one member of a group reads at a time: the one holding the group's lease
 * ({@code <ns>.lease.<group>}: a script that does {@code SET ... NX PX leaseMs} or extends the holder's own lease,
 * every third of {@code leaseMs}); the others stand by and try to take the lease at the same pace.
 *
 * <p>The active member first claims every entry still pending for the group (XAUTOCLAIM with min-idle 0: the lease
 * guarantees that whoever read them is no longer dispatching), stream by stream in id order, and only then reads
 * new entries ({@code XREADGROUP ... >}) on a connection of its own, so that entries left behind by a dead member
 * are redelivered before anything later of their stream. Entries go to {@link StreamLanes} (lane = stream id; a
 * message that is not an event gets a lane of its own); reading pauses while the lanes hold
 * {@code maxBufferedPerMember} entries. An ack is an XACK, retried while Redis is unreachable; a dead letter is an
 * XADD to {@code <ns>.dead.<group>} and then the XACK, in one script that stops at a refused XADD (a MULTI/EXEC
 * would ack anyway: Redis does not roll a transaction back), so a dead letter Redis refuses stays pending. Entries whose {@code type} the group's
 * patterns do not match are acked without being delivered.
 *
 * <p>{@link #leave()} stops reading and waits for the handlers still running before it gives up the lease, so the next
 * active member starts each stream where this one left it. Losing the lease hands back everything unsettled at once:
 * nothing more is acked, the next active member claims it (a handler still running then is not stopped: the lease
 * outlives a handler only while its holder can renew it, see {@code docs/consuming.md}). A renewal
 * that fails because Redis is unreachable is tolerated while a third of the lease is left (nobody else can take it
 * before it expires), so a short outage hands nothing back; a failed read makes the member claim its own pending
 * entries again (a lost reply may have delivered some). Every {@code claimMinIdleMs / 2} the active member also
 * claims entries left pending that long by another consumer (one that read after losing the lease). The attempt
 * number of a claimed entry is Redis's delivery count, which also counts a read by a member that never handed the
 * entry out. Confined to the member's context.
 */
final class RedisMember extends ActiveMember implements MemberMessage.Settler<StreamEntry> {

  private static final Logger log = LoggerFactory.getLogger(RedisMember.class);

  // KEYS: dead stream, source stream; ARGV: redis group, entry id, then the dead letter's field/value pairs
  private static final String DEAD_LETTER_SCRIPT = """
      redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
      return redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])""";
  private static final String CLAIM_PAGE = "100";

  private final RedisBroker broker;
  private final RedisBrokerOptions options;
  private final RedisKeys keys;
  private final String redisGroup;
  private final String startId;
  private final RedisConnection commands;
  private final RedisConnection reader;
  private final Set<String> streams = new LinkedHashSet<>();
  private final Deque<String> toClaim = new ArrayDeque<>();
  private final Set<String> held = new HashSet<>();
  private boolean busy;
  private boolean reading;
  private boolean waitingToRetry;
  private int failures;
  private String claimCursor = "0-0";
  private long readerClientId = -1;

  RedisMember(RedisBroker broker, Vertx vertx, Context context, String group, TypePatterns patterns, long birthMs,
              List<String> knownStreams, DeliveryHandler handler) {
    super(vertx, context, group, patterns, handler, new Settings(broker.options().maxInFlightPerMember(),
            new Backoff(broker.options().redeliveryBaseMs(), broker.options().redeliveryCapMs()),
            broker.options().handBackTimeoutMs()), broker.options().leaseMs(), broker.options().requestTimeoutMs(),
        new Backoff(broker.options().reconnectBaseMs(), broker.options().reconnectCapMs()));
    this.broker = broker;
    this.options = broker.options();
    this.keys = broker.keys();
    this.redisGroup = keys.group(group);
    this.startId = startId(birthMs);
    this.commands = broker.commands();
    this.reader = new RedisConnection(vertx, context, broker.client(), broker.name() + " reader of group '" + group + "'",
        options.requestTimeoutMs());
    this.streams.addAll(knownStreams);
    lanes.onSettled(this::pump);
  }

  /**
   * The id a group starts from on every stream: just before the group's birth (the Redis time of its first
   * subscription), so it receives every entry added since, on streams that existed then and on streams created
   * later alike.
   */
  static String startId(long birthMs) {
    return (birthMs - 1) + "-18446744073709551615";
  }

  String id() {
    return id;
  }

  @Override
  protected ActiveMemberLease lease() {
    return new RedisLease(context, commands, keys.lease(group), id, options.leaseMs());
  }

  @Override
  protected void onStart() {
    every(options.discoveryIntervalMs(), () -> {
      if (active()) {
        discover();
      }
    });
    every(Math.max(1_000, options.claimMinIdleMs() / 2), this::sweep);
  }

  @Override
  protected void activate(long gen) {
    failures = 0;
    discover().onComplete(ar -> {
      if (gen != generation()) {
        return;
      }
      toClaim.clear();
      toClaim.addAll(streams);
      claimCursor = "0-0";
      pump();
    });
  }

  @Override
  protected void deactivate() {
    busy = false;
    reading = false;
    waitingToRetry = false;
    held.clear();
    toClaim.clear();
    reader.drop();
  }

  @Override
  protected Future<Void> handBack() {
    held.clear();
    return Future.succeededFuture();
  }

  @Override
  protected Future<Void> release() {
    return reader.close();
  }

  // -- finding streams

  /** Looks for streams of aggregate types published since, and creates the group on them. */
  private Future<Void> discover() {
    long gen = generation();
    return OnContext.of(context, commands.send(Request.cmd(Command.SMEMBERS).arg(keys.registry())))
        .compose(members -> {
          List<String> fresh = new ArrayList<>();
          if (members != null) {
            for (Response type : members) {
              String stream = keys.stream(type.toString());
              if (!streams.contains(stream)) {
                fresh.add(stream);
              }
            }
          }
          if (fresh.isEmpty()) {
            return Future.succeededFuture();
          }
          List<Future<Void>> created = new ArrayList<>();
          for (String stream : fresh) {
            created.add(broker.ensureGroup(stream, redisGroup, startId));
          }
          return OnContext.of(context, Future.all(created)).map(all -> {
            if (owns(gen)) {
              streams.addAll(fresh);
              if (active()) {
                toClaim.addAll(fresh); // the group may already exist there, with entries a dead member left
                unblock();
                pump();
              }
            }
            return null;
          });
        })
        .<Void>mapEmpty()
        .onFailure(e -> log.debug("{} of group '{}': stream discovery failed: {}", id, group, e.getMessage()));
  }

  // a blocked XREADGROUP only watches the streams it was given: wake it so the next read includes the new ones
  private void unblock() {
    if (reading && readerClientId >= 0) {
      commands.send(Request.cmd(Command.CLIENT).arg("UNBLOCK").arg(readerClientId));
    }
  }

  // -- the read loop: claim what is pending, then read new entries

  private void pump() {
    if (!reading() || busy || waitingToRetry) {
      return;
    }
    if (lanes.buffered() >= options.maxBufferedPerMember()) {
      return; // resumed by onSettled
    }
    if (!toClaim.isEmpty()) {
      claim(toClaim.peekFirst());
    } else if (!streams.isEmpty()) {
      read();
    }
  }

  private void claim(String stream) {
    busy = true;
    long gen = generation();
    Request autoclaim = Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(redisGroup).arg(id).arg(0)
        .arg(claimCursor).arg("COUNT").arg(CLAIM_PAGE);
    OnContext.of(context, commands.send(autoclaim))
        .compose(reply -> {
          // decided now: an entry held here may be acked (and leave the set) before the next reply comes
          Replies.Claimed claimed = Replies.autoclaim(stream, reply);
          List<StreamEntry> fresh = notHeld(claimed.entries());
          return withDeliveryCounts(stream, fresh).map(counts -> new Claim(claimed.cursor(), fresh, counts));
        })
        .onComplete(ar -> {
          if (!owns(gen)) {
            return;
          }
          busy = false;
          if (ar.failed()) {
            failed("claiming pending entries of " + stream, ar.cause(), stream);
            return;
          }
          failures = 0;
          Claim claim = ar.result();
          for (StreamEntry entry : claim.entries()) {
            offer(entry, claim.counts().getOrDefault(entry.id(), 2), gen);
          }
          if ("0-0".equals(claim.cursor())) {
            toClaim.pollFirst();
            claimCursor = "0-0";
            if (toClaim.isEmpty()) {
              removeIdleConsumers();
            }
          } else {
            claimCursor = claim.cursor();
          }
          pump();
        });
  }

  private record Claim(String cursor, List<StreamEntry> entries, Map<String, Integer> counts) {
  }

  private List<StreamEntry> notHeld(List<StreamEntry> entries) {
    List<StreamEntry> fresh = new ArrayList<>();
    for (StreamEntry e : entries) {
      if (!held.contains(key(e))) {
        fresh.add(e);
      }
    }
    return fresh;
  }

  private void read() {
    busy = true;
    reading = true;
    long gen = generation();
    List<String> keysToRead = new ArrayList<>(streams);
    int room = options.maxBufferedPerMember() - lanes.buffered();
    int count = Math.max(1, Math.min(options.readCount(), room / keysToRead.size()));
    Request xreadgroup = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(redisGroup).arg(id)
        .arg("COUNT").arg(count).arg("BLOCK").arg(options.blockMs()).arg("STREAMS");
    keysToRead.forEach(xreadgroup::arg);
    keysToRead.forEach(k -> xreadgroup.arg(">"));
    // CLIENT ID goes first on the same connection, so unblock() knows whom to wake
    reader.send(Request.cmd(Command.CLIENT).arg("ID")).onSuccess(id -> {
      if (gen == generation()) {
        readerClientId = id.toLong();
      }
    });
    reader.send(xreadgroup, options.blockMs() + options.requestTimeoutMs()).onComplete(ar -> OnContext.run(context, () -> {
      if (!owns(gen)) {
        return;
      }
      busy = false;
      reading = false;
      readerClientId = -1;
      if (ar.failed()) {
        failed("reading", ar.cause(), null);
        return;
      }
      failures = 0;
      for (StreamEntry entry : Replies.streams(ar.result())) {
        offer(entry, 1, gen);
      }
      pump();
    }));
  }

  // a lost reply may have delivered entries to this consumer: claim them back (skipping those held) before reading on
  private void failed(String what, Throwable cause, String stream) {
    failures++;
    if (RedisConnection.isError(cause, "NOGROUP")) {
      log.warn("{} of group '{}': the group is missing on a stream ({}); creating it again", id, group,
          cause.getMessage());
      List<Future<Void>> created = new ArrayList<>();
      for (String s : stream == null ? streams : List.of(stream)) {
        created.add(broker.ensureGroup(s, redisGroup, startId));
      }
      Future.join(created);
    } else if (failures == 1 || failures % 20 == 0) {
      log.warn("{} of group '{}': {} failed (attempt {}): {}", id, group, what, failures, cause.getMessage());
    }
    toClaim.clear();
    toClaim.addAll(streams);
    claimCursor = "0-0";
    waitingToRetry = true;
    long gen = generation();
    vertx.setTimer(retry.delayMs(failures), t -> {
      if (gen == generation()) {
        waitingToRetry = false;
        pump();
      }
    });
  }

  /** Periodically takes over entries another consumer left pending for long (it read after losing the lease). */
  private void sweep() {
    if (!reading() || !toClaim.isEmpty()) {
      return;
    }
    long gen = generation();
    for (String stream : List.copyOf(streams)) {
      Request autoclaim = Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(redisGroup).arg(id)
          .arg(options.claimMinIdleMs()).arg("0-0").arg("COUNT").arg(CLAIM_PAGE);
      OnContext.of(context, commands.send(autoclaim))
          .compose(reply -> {
            // held ones were only idle here, waiting for a local redelivery or a slow handler
            List<StreamEntry> foreign = notHeld(Replies.autoclaim(stream, reply).entries());
            return withDeliveryCounts(stream, foreign).map(counts -> new Claim("0-0", foreign, counts));
          })
          .onSuccess(claim -> {
            if (owns(gen)) {
              for (StreamEntry entry : claim.entries()) {
                log.warn("{} of group '{}' took over {}, left pending by another consumer", id, group,
                    entry.destination());
                offer(entry, claim.counts().getOrDefault(entry.id(), 2), gen);
              }
            }
          });
    }
  }

  private Future<Map<String, Integer>> withDeliveryCounts(String stream, List<StreamEntry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Request pending = Request.cmd(Command.XPENDING).arg(stream).arg(redisGroup)
        .arg(entries.get(0).id()).arg(entries.get(entries.size() - 1).id()).arg(entries.size()).arg(id);
    return OnContext.of(context, commands.send(pending)).map(Replies::deliveryCounts);
  }

  // consumers other than this one hold nothing once everything pending was claimed: forget them
  private void removeIdleConsumers() {
    for (String stream : List.copyOf(streams)) {
      commands.send(Request.cmd(Command.XINFO).arg("CONSUMERS").arg(stream).arg(redisGroup)).onSuccess(list -> {
        if (list == null) {
          return;
        }
        for (Response row : list) {
          String name = field(row, "name");
          String pending = field(row, "pending");
          if (name != null && !name.equals(id) && "0".equals(pending)) {
            commands.send(Request.cmd(Command.XGROUP).arg("DELCONSUMER").arg(stream).arg(redisGroup).arg(name));
          }
        }
      });
    }
  }

  // XINFO rows are maps with RESP3 and flat field/value arrays with RESP2
  private static String field(Response row, String name) {
    if (row.isMap()) {
      Response value = row.get(name);
      return value == null ? null : value.toString();
    }
    for (int i = 0; i + 1 < row.size(); i += 2) {
      if (name.equals(row.get(i).toString())) {
        Response value = row.get(i + 1);
        return value == null ? null : value.toString();
      }
    }
    return null;
  }

  // -- handing entries to the lanes

  private void offer(StreamEntry entry, int attempt, long gen) {
    String type = entry.text(RedisBinding.TYPE);
    if (type != null && !patterns.matches(type)) {
      acknowledge(entry); // not for this group
      return;
    }
    MemberMessage<StreamEntry> message = new MemberMessage<>(this, entry, gen, broker.binding().raw(entry), attempt,
        () -> broker.binding().decode(entry), entry.destination());
    if (message.event() != null && type == null && !patterns.matches(message.event().type())) {
      acknowledge(entry);
      return;
    }
    held.add(key(entry));
    lanes.offer(message);
  }

  private void acknowledge(StreamEntry entry) {
    commands.send(xack(entry));
  }

  // -- settling, called by the lanes on the member's context

  @Override
  public Future<Void> ack(MemberMessage<StreamEntry> message) {
    return settle(message, () -> commands.send(xack(message.source())).mapEmpty());
  }

  @Override
  public Future<Void> deadLetter(MemberMessage<StreamEntry> message, Throwable reason, int attempts) {
    StreamEntry entry = message.source();
    Request script = Request.cmd(Command.EVAL).arg(DEAD_LETTER_SCRIPT).arg(2)
        .arg(keys.deadLetters(group)).arg(entry.stream()).arg(redisGroup).arg(entry.id());
    entry.fields().forEach((field, value) -> script.arg(field).arg(value));
    DeadLetterHeaders.of(reason, attempts, group, entry.destination()).forEach((field, value) -> script.arg(field).arg(value));
    return settle(message, () -> commands.send(script).<Void>mapEmpty()
        .recover(err -> Future.failedFuture(RedisConnection.unavailable(err) ? err
            : new BrokerException("Redis refused the dead letter of " + entry.destination() + ": " + err.getMessage(), err))));
  }

  // retried while Redis is unreachable and this member still owns the message: the lane waits meanwhile
  private Future<Void> settle(MemberMessage<StreamEntry> message, Supplier<Future<Void>> command) {
    return settle(message.generation(), message.source().destination(), command, RedisConnection::unavailable)
        .onSuccess(v -> held.remove(key(message.source())));
  }

  private Request xack(StreamEntry entry) {
    return Request.cmd(Command.XACK).arg(entry.stream()).arg(redisGroup).arg(entry.id());
  }

  private static String key(StreamEntry entry) {
    return entry.stream() + " " + entry.id();
  }
}
