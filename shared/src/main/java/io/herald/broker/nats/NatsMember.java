package io.herald.broker.nats;

import io.herald.async.Backoff;
import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.DeadLetterHeaders;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.RawMessage;
import io.herald.broker.TypePatterns;
import io.herald.broker.lanes.MemberMessage;
import io.herald.broker.lanes.StreamLanes;
import io.herald.broker.support.ActiveMember;
import io.herald.broker.support.ActiveMemberLease;
import io.herald.broker.support.ClientFutures;
import io.herald.broker.support.LeaseKeeper;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription of a consumer group. Members of a group compete for the group's lease ({@link NatsLease}, kept by a
 * {@link LeaseKeeper}); the
 * holder is the active member: it pulls from the durable consumer ({@link PullFetcher}) and feeds its
 * {@link StreamLanes}, which hand out each stream's messages one at a time. The others stand by and try to take
 * the lease every third of its time to live.
 *
 * <p>While active, the member keeps every message it holds alive on the server (an "in progress" every third of
 * the ack wait), acks with a request so the lane moves on only once JetStream recorded the ack (retried through
 * an outage), and stops pulling while {@code maxBufferedPerMember} messages are unsettled. Losing the lease, or
 * closing, naks what it holds without acking it, so the group's next active member gets it at once; leaving
 * ({@link #leave()}) first lets the handlers still running finish.
 *
 * <p><b>Order across a cut.</b> A message the server sent on a connection that dropped (or a nak lost with it) stays
 * pending on the consumer and comes back only after the ack wait, after newer messages of its stream were
 * delivered. The member sees such a loss as a gap in the consumer's delivery sequence (and assumes one when it
 * becomes active: the previous member's deliveries may be lost). From then on it holds back what arrives (kept
 * alive, not handed out) until the consumer's info shows that every delivery not acked is in its hands; then it
 * hands the held-back messages out in stream order. A healthy member only compares delivery sequences.
 * Confined to the member's context.
 */
final class NatsMember extends ActiveMember implements MemberMessage.Settler<Message> {

  private static final Logger log = LoggerFactory.getLogger(NatsMember.class);
  private static final byte[] ACK = "+ACK".getBytes(StandardCharsets.US_ASCII);

  private final NatsConnection session;
  private final NatsNames names;
  private final NatsBrokerOptions options;
  private final NatsBinding binding;
  private final Map<Long, MemberMessage<Message>> held = new LinkedHashMap<>();
  private final Set<Long> acking = ConcurrentHashMap.newKeySet();   // held messages whose ack was sent
  private final TreeMap<Long, Message> fenced = new TreeMap<>();     // held back, by stream sequence
  private final TreeSet<Long> fencedDeliveries = new TreeSet<>();    // delivery sequences received while fencing
  private boolean fencing;
  private boolean checkingFence;
  private long fenceTimer = -1;
  private long lastDelivery;
  private AtomicInteger outstanding = new AtomicInteger();
  private PullFetcher fetcher;
  private List<Message> returning;
  private volatile boolean handingBack;   // read by the lease's worker thread

  NatsMember(Vertx vertx, Context context, NatsConnection session, NatsNames names, NatsBrokerOptions options,
             NatsBinding binding, String group, TypePatterns patterns, DeliveryHandler handler) {
    super(vertx, context, group, patterns, handler, new Settings(options.maxInFlightPerMember(),
            new Backoff(options.redeliveryBaseMs(), options.redeliveryCapMs()), options.handBackTimeoutMs()),
        options.leaseMs(), options.requestTimeoutMs(),
        new Backoff(Math.max(1, options.reconnectWaitMs()), Math.max(1, options.reconnectWaitMs())));
    this.session = session;
    this.names = names;
    this.options = options;
    this.binding = binding;
    lanes.onSettled(this::resumeFetching);
  }

  @Override
  protected ActiveMemberLease lease() {
    return new NatsLease(context, session.leases(), group, id, () -> !handingBack);
  }

  @Override
  protected void onStart() {
    every(options.ackWaitMs() / 3, this::keepAlive);
  }

  @Override
  protected void activate(long gen) {
    outstanding = new AtomicInteger();
    fetcher = new PullFetcher(session.jetStream(), names.stream(), group, options.fetchBatch(),
        options.maxBufferedPerMember(), options.fetchWaitMs(), options.reconnectWaitMs(), outstanding,
        message -> context.runOnContext(v -> accept(message, gen)));
    startFence(gen);
    fetcher.start();
  }

  // -- the fence: order across a lost delivery

  private void startFence(long gen) {
    fencing = true;
    fencedDeliveries.clear();
    fenceTimer = vertx.setPeriodic(Math.max(1, options.reconnectWaitMs()), t -> checkFence(gen));
    checkFence(gen);
  }

  /**
   * Lifts the fence once every delivery the consumer has not seen acked is in this member's hands: none was lost,
   * so the held-back messages can be handed out in stream order. Messages whose ack was sent are not counted as
   * in hand, as the server may have recorded that ack already.
   */
  private void checkFence(long gen) {
    if (checkingFence || !fencing || gen != generation()) {
      return;
    }
    checkingFence = true;
    context.executeBlocking(() -> session.management().getConsumerInfo(names.stream(), group), false)
        .onComplete(ar -> {
          checkingFence = false;
          if (!fencing || gen != generation()) {
            return;
          }
          if (ar.failed()) {
            log.debug("group '{}' could not read its consumer's position: {}", group, ar.cause().toString());
            return;
          }
          long deliveredSeq = ar.result().getDelivered().getStreamSequence();
          long next = ar.result().getDelivered().getConsumerSequence() + 1;
          for (long d : fencedDeliveries.tailSet(next, true)) {
            if (d != next) {
              return; // a delivery made after that info is still missing
            }
            next++;
          }
          long inHand = fenced.headMap(deliveredSeq, true).size();
          for (long seq : held.keySet()) {
            if (seq <= deliveredSeq && !fenced.containsKey(seq) && !acking.contains(seq)) {
              inHand++;
            }
          }
          if (inHand < ar.result().getNumAckPending()) {
            return; // a delivery lost with a connection: it comes back after the ack wait
          }
          liftFence(next - 1);
        });
  }

  private void liftFence(long lastSeen) {
    stopFencing();
    lastDelivery = lastSeen;
    List<Message> waiting = new ArrayList<>(fenced.values());
    fenced.clear();
    if (!waiting.isEmpty()) {
      log.info("group '{}': no delivery is missing any more; handing out {} messages held back", group, waiting.size());
    }
    for (Message m : waiting) {
      outstanding.incrementAndGet();
      take(m, generation());
    }
  }

  private void stopFencing() {
    fencing = false;
    fencedDeliveries.clear();
    if (fenceTimer >= 0) {
      vertx.cancelTimer(fenceTimer);
      fenceTimer = -1;
    }
  }

  @Override
  protected void deactivate() {
    handBack();
  }

  /**
   * Stops pulling and naks everything held, in stream order, so the next active member gets it at once. The naks
   * wait until the pulling thread has unsubscribed: a nacked message could otherwise go straight back to one of
   * its pull requests, and messages still on their way to this context are handed back with the others.
   */
  @Override
  protected Future<Void> handBack() {
    nextGeneration();
    List<Message> back = new ArrayList<>();
    held.values().forEach(m -> back.add(m.source()));
    held.clear();
    acking.clear();
    back.addAll(fenced.values());
    fenced.clear();
    stopFencing();
    PullFetcher stopping = fetcher;
    fetcher = null;
    if (stopping == null) {
      nakInOrder(back);
      return Future.succeededFuture();
    }
    returning = back;
    handingBack = true;
    Promise<Void> handedBack = Promise.promise();
    stopping.stop().whenComplete((left, err) -> context.runOnContext(v -> {
      if (left != null) {
        back.addAll(left);
      }
      if (returning == back) {
        returning = null;
      }
      nakInOrder(back);
      handingBack = false;
      handedBack.complete();
    }));
    return handedBack.future();
  }

  private void nakInOrder(List<Message> messages) {
    Map<Long, Message> bySequence = new java.util.TreeMap<>();
    for (Message m : messages) {
      bySequence.putIfAbsent(m.metaData().streamSequence(), m);
    }
    for (Message m : bySequence.values()) {
      nakQuietly(m);
    }
  }

  // -- receiving

  private void accept(Message message, long gen) {
    if (gen != generation() || !active()) {
      if (returning != null) {
        returning.add(message); // pulled by a fetcher that is stopping: handed back with the others
      } else {
        nakQuietly(message);
      }
      return;
    }
    long delivery = message.metaData().consumerSequence();
    if (!fencing && delivery != lastDelivery + 1) {
      log.warn("group '{}': delivery #{} follows #{}, the ones between never reached this member; newer messages "
          + "wait until they are redelivered", group, delivery, lastDelivery);
      startFence(gen);
    }
    if (fencing) {
      fencedDeliveries.add(delivery);
      long seq = message.metaData().streamSequence();
      if (!held.containsKey(seq)) {
        fenced.putIfAbsent(seq, message);
      }
      outstanding.decrementAndGet(); // not in the pulling buffer: the missing deliveries must still be pulled
      return;
    }
    lastDelivery = delivery;
    take(message, gen);
  }

  private void take(Message message, long gen) {
    long seq = message.metaData().streamSequence();
    if (held.containsKey(seq)) {
      outstanding.decrementAndGet(); // redelivered by the server while still held here: keep the first copy
      return;
    }
    String type = names.typeOf(message.getSubject());
    if (!patterns.matches(type)) {
      outstanding.decrementAndGet(); // outside the group's patterns, but within its filter subject
      ackWithRetry(message, gen);
      return;
    }
    RawMessage raw = NatsBinding.raw(message);
    MemberMessage<Message> laneMessage = new MemberMessage<>(this, message, gen, raw,
        (int) Math.min(Integer.MAX_VALUE, Math.max(1, message.metaData().deliveredCount())), () -> binding.decode(raw),
        "#" + seq);
    held.put(seq, laneMessage);
    lanes.offer(laneMessage);
  }

  private void resumeFetching() {
    PullFetcher f = fetcher;
    if (f != null) {
      f.signal();
    }
  }

  // JetStream redelivers after the ack wait: tell it the held messages are still being worked on
  private void keepAlive() {
    if (!active() || !session.connected()) {
      return;
    }
    List<Message> alive = new ArrayList<>(held.size() + fenced.size());
    held.values().forEach(m -> alive.add(m.source()));
    alive.addAll(fenced.values());
    for (Message m : alive) {
      try {
        m.inProgress();
      } catch (RuntimeException e) {
        log.debug("group '{}' could not extend #{}: {}", group, m.metaData().streamSequence(), e.toString());
        return;
      }
    }
  }

  // -- settling, called by the lanes on this member's context

  @Override
  public Future<Void> ack(MemberMessage<Message> m) {
    return ackHeld(m);
  }

  @Override
  public Future<Void> deadLetter(MemberMessage<Message> m, Throwable reason, int attempts) {
    Message original = m.source();
    long seq = original.metaData().streamSequence();
    Headers headers = original.hasHeaders() ? new Headers(original.getHeaders()) : new Headers();
    // unique per group and origin message: a retried dead-lettering is dropped as a duplicate
    headers.put(NatsBinding.MSG_ID_HEADER, "dead-" + group + "-" + names.stream() + "-" + seq);
    DeadLetterHeaders.of(reason, attempts, group, m.raw().destination()).forEach((k, v) -> headers.put(k, headerValue(v)));
    Message letter = NatsMessage.builder().subject(names.deadSubject(group)).headers(headers)
        .data(original.getData()).build();
    // a dead letter the server did not store keeps the message held (in progress), so it can be moved again
    return ClientFutures.of(context, () -> session.jetStream().publishAsync(letter)
            .orTimeout(options.publishTimeoutMs(), TimeUnit.MILLISECONDS))
        .recover(err -> Future.failedFuture(new BrokerUnavailableException("dead letter of " + m.raw().destination()
            + " was not stored: " + err.getMessage(), err)))
        .compose(v -> ackHeld(m));
  }

  private Future<Void> ackHeld(MemberMessage<Message> m) {
    long seq = m.source().metaData().streamSequence();
    acking.add(seq);
    return ackWithRetry(m.source(), m.generation()).andThen(ar -> {
      if (m.generation() == generation()) {
        held.remove(seq);
        acking.remove(seq);
        outstanding.decrementAndGet();
      }
    });
  }

  /**
   * Acks with a request, so success means JetStream recorded it; retried through an outage while this member
   * is still the one holding the message, so its lane does not move on with an ack the server never saw.
   */
  private Future<Void> ackWithRetry(Message message, long gen) {
    // a request that cannot even be sent (closed connection, full output queue) fails, and is retried, like one unanswered
    return settle(gen, "#" + message.metaData().streamSequence(), () -> ClientFutures.of(context,
            () -> session.connection().requestWithTimeout(message.getReplyTo(), ACK, Duration.ofMillis(options.requestTimeoutMs())))
        .compose(reply -> reply.isStatusMessage()
            ? Future.failedFuture(new BrokerException("ack refused: " + reply.getStatus())) : Future.succeededFuture()),
        failure -> true);
  }

  private static void nakQuietly(Message message) {
    try {
      message.nak();
    } catch (RuntimeException e) {
      // the server redelivers after the ack wait anyway
    }
  }

  /** NATS header values are printable ASCII on one line. */
  static String headerValue(String text) {
    StringBuilder b = new StringBuilder(Math.min(text.length(), 1024));
    for (int i = 0; i < text.length() && b.length() < 1024; i++) {
      char c = text.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
