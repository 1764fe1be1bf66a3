package io.herald.broker.kafka;

import io.herald.async.Backoff;
import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.RawMessage;
import io.herald.broker.TypePatterns;
import io.herald.broker.lanes.MemberMessage;
import io.herald.broker.lanes.StreamLanes;
import io.herald.broker.support.LaneMember;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a consumer group: a Kafka consumer polled on a thread of its own (Kafka's consumer is blocking and
 * single-threaded), feeding {@link StreamLanes} on the member's context.
 *
 * <ul>
 *   <li><b>Offsets.</b> Auto-commit is off. An ack records the offset in {@link AckedOffsets} and asks for a commit
 *       of each partition's highest contiguous acked offset + 1; commits are coalesced (one in flight) and the ack
 *       completes when the commit that followed it did. Records the group's patterns exclude are acked without
 *       being delivered, so positions keep moving.</li>
 *   <li><b>Start position.</b> A group that has no committed offset at all when this member subscribes is new: at
 *       its first assignment the member commits the end offsets of its partitions, so the group receives what is
 *       published after it first subscribed, even if the member dies before reading anything. Partitions without a
 *       commit in an existing group (a topic created later) start at the earliest offset.</li>
 *   <li><b>Rebalances</b> (eager range assignment, so every rebalance revokes everything): on revocation the member
 *       stops handing out messages and waits (up to {@code handBackTimeoutMs}) for the handlers still running, so
 *       the next owner never starts a stream's next event beside its previous one; it then commits what is acked,
 *       synchronously, and drops everything else from its lanes; the next owner starts from that commit and
 *       delivers the rest again.</li>
 *   <li><b>Bounded buffering.</b> Fetching pauses while the lanes hold {@code maxBufferedPerMember} messages or more
 *       and resumes when they are down to half of it.</li>
 *   <li><b>Close</b> commits what was acked, leaves the group and hands back the rest: it is redelivered. Leaving
 *       through the subscription first waits for the handlers still running, as a rebalance does.</li>
 * </ul>
 */
final class KafkaMember extends LaneMember implements MemberMessage.Settler<ConsumerRecord<String, byte[]>> {

  private static final Logger log = LoggerFactory.getLogger(KafkaMember.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration BLOCKING_CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final long COMMIT_RETRY_MS = 500;

  // fixed
  private final String groupId;
  private final List<String> topics;
  private final KafkaBinding binding;
  private final KafkaDeadLetters deadLetters;
  private final boolean newGroup;
  private final int maxBuffered;
  private final long handBackTimeoutMs;
  private final Map<String, Object> consumerConfig;
  private final Thread thread;
  private final long createdAt = System.nanoTime();

  // shared between the poll thread and the context
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pollEpoch = new AtomicInteger();
  private final Promise<Void> joined = Promise.promise();
  private final Promise<Void> stopped = Promise.promise();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private volatile boolean pauseWanted;
  private final java.util.concurrent.atomic.AtomicInteger handedOver = new java.util.concurrent.atomic.AtomicInteger();
  private volatile int bufferedSeen;   // the lanes' count as the context last saw it, for the polling thread

  // poll thread only
  private boolean paused;
  private boolean assignedOnce;

  // context only
  private final AckedOffsets offsets = new AckedOffsets();
  private List<Promise<Void>> ackWaiters = new ArrayList<>();
  private int epoch;
  private boolean commitInFlight;
  private boolean commitWanted;

  /**
   * @param context  where the handler runs and the lanes live
   * @param newGroup whether the group had no committed offset when this member subscribed
   */
  KafkaMember(Vertx vertx, Context context, KafkaBrokerOptions options, String group, String groupId,
                   List<String> topics, TypePatterns patterns, DeliveryHandler handler, KafkaBinding binding,
                   KafkaDeadLetters deadLetters, boolean newGroup) {
    super(vertx, context, group, patterns, handler, new Settings(options.maxInFlightPerMember(),
        new Backoff(options.redeliveryBaseMs(), options.redeliveryCapMs()), options.handBackTimeoutMs()));
    this.groupId = groupId;
    this.topics = List.copyOf(topics);
    this.binding = binding;
    this.deadLetters = deadLetters;
    this.newGroup = newGroup;
    this.maxBuffered = options.maxBufferedPerMember();
    this.handBackTimeoutMs = options.handBackTimeoutMs();
    this.lanes.onSettled(this::maybeResume);
    String clientId = groupId + "-" + SEQUENCE.incrementAndGet();
    this.consumerConfig = consumerConfig(options, groupId, clientId);
    this.thread = new Thread(this::run, "herald-kafka-" + clientId);
    this.thread.setDaemon(true);
  }

  static Map<String, Object> consumerConfig(KafkaBrokerOptions options, String groupId, String clientId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.min(500, options.maxBufferedPerMember())));
    config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(options.sessionTimeoutMs()));
    // members learn of a rebalance from their heartbeat: a short interval lets a joining member in quickly
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(1, Math.min(500, options.sessionTimeoutMs() / 3))));
    config.put(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
    config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
    return config;
  }

  /** Starts polling; the future completes on the member's context once the member has its first assignment. */
  Future<Void> start() {
    thread.start();
    return joined.future();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // poll thread

  private void run() {
    try {
      consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(topics, new Rebalances());
      while (running) {
        runTasks();
        applyPause();
        try {
          ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
          if (!records.isEmpty()) {
            hand(records);
          }
        } catch (WakeupException e) {
          // a commit, a pause change or close asked for attention
        } catch (InterruptException e) {
          break;
        } catch (RuntimeException e) {
          log.warn("consumer '{}' of group '{}': poll failed, retrying: {}", consumerConfig.get(ConsumerConfig.CLIENT_ID_CONFIG), groupId, e.toString());
          sleep(500);
        }
      }
    } catch (Throwable e) {
      log.error("consumer of group '{}' stopped", groupId, e);
      context.runOnContext(v -> joined.tryFail(new BrokerUnavailableException("Kafka consumer of group '" + groupId
          + "' failed: " + e.getMessage(), e)));
    } finally {
      running = false;
      runTasks();
      KafkaConsumer<String, byte[]> c = consumer;
      if (c != null) {
        try {
          c.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
          log.debug("closing the consumer of group '{}': {}", groupId, e.toString());
        }
      }
      context.runOnContext(v -> {
        joined.tryFail(new BrokerUnavailableException("consumer of group '" + groupId + "' was closed"));
        stopped.tryComplete();
      });
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("consumer task of group '{}' failed: {}", groupId, e.toString());
      }
    }
  }

  private void applyPause() {
    boolean want = pauseWanted;
    if (want == paused) {
      return;
    }
    if (want) {
      consumer.pause(consumer.assignment());
    } else {
      consumer.resume(consumer.paused());
    }
    paused = want;
  }

  // decoding happens here, off the event loop
  private void hand(ConsumerRecords<String, byte[]> records) {
    int ep = pollEpoch.get();
    List<MemberMessage<ConsumerRecord<String, byte[]>>> batch = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      batch.add(read(record, ep));
    }
    // counted here, on the polling thread, so the next poll already sees them: the lanes count them only once the
    // context took the batch, and a busy context would otherwise let many polls through past the bound
    int inTransit = handedOver.addAndGet(batch.size());
    if (inTransit + bufferedSeen >= maxBuffered) {
      pauseWanted = true;
    }
    context.runOnContext(v -> accept(ep, batch));
  }

  // attempt 1: Kafka keeps no delivery count, a record redelivered after a rebalance or a restart starts again at 1
  private MemberMessage<ConsumerRecord<String, byte[]>> read(ConsumerRecord<String, byte[]> record, int ep) {
    Map<String, String> headers = KafkaBinding.text(record.headers());
    byte[] value = record.value();
    RawMessage raw = new RawMessage(value == null ? Buffer.buffer() : Buffer.buffer(value), headers,
        origin(partitionOf(record), record.offset()));
    String type = headers.get(KafkaBinding.TYPE);
    boolean filteredOut = type != null && !patterns.matches(type);
    return new MemberMessage<>(this, record, ep, raw, 1, filteredOut ? () -> null : () -> binding.decode(headers, value),
        raw.destination());
  }

  /** @return whether the group's patterns take the message; one they exclude is acked without being delivered */
  private boolean forThisGroup(MemberMessage<ConsumerRecord<String, byte[]>> message) {
    String type = message.event() != null ? message.event().type() : message.raw().headers().get(KafkaBinding.TYPE);
    return type == null || patterns.matches(type);
  }

  static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  /** @return where the record was read from, e.g. {@code events.order[2]@41} */
  static String origin(TopicPartition partition, long offset) {
    return partition.topic() + "[" + partition.partition() + "]@" + offset;
  }

  private void commitOnPollThread(int ep, Map<TopicPartition, OffsetAndMetadata> commit, List<Promise<Void>> waiters) {
    if (ep != pollEpoch.get()) {
      // revoked since: the revocation committed every acked position, these included
      context.runOnContext(v -> commitDone(ep, commit, waiters, null));
      return;
    }
    // a wakeup aimed at the poll can land in commitAsync: a commit that never started would leave every later ack
    // waiting (the commit in flight never completes), so it is retried, and any other failure is reported
    try {
      retryOnWakeup(() -> {
        consumer.commitAsync(commit, (committed, error) -> context.runOnContext(v -> commitDone(ep, commit, waiters, error)));
        return null;
      });
    } catch (RuntimeException e) {
      context.runOnContext(v -> commitDone(ep, commit, waiters, e));
    }
  }

  private final class Rebalances implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty() || !running) {
        return;
      }
      int ep = pollEpoch.incrementAndGet();
      awaitRunningHandlers();
      Revocation revocation = onContextAndWait(() -> revoke(ep));
      if (revocation == null) {
        return;
      }
      Throwable failure = null;
      if (!revocation.commit.isEmpty()) {
        try {
          retryOnWakeup(() -> {
            consumer.commitSync(revocation.commit, BLOCKING_CALL_TIMEOUT);
            return null;
          });
        } catch (RuntimeException e) {
          failure = e;
          log.warn("group '{}': committing acked offsets on revocation failed, they will be delivered again: {}",
              groupId, e.toString());
        }
      }
      Throwable cause = failure;
      context.runOnContext(v -> settleWaiters(revocation.waiters, cause));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      int ep = pollEpoch.incrementAndGet();
      Revocation revocation = onContextAndWait(() -> revoke(ep));
      if (revocation != null) {
        context.runOnContext(v -> settleWaiters(revocation.waiters,
            new BrokerException("group '" + groupId + "' lost its partitions before the ack was committed")));
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (paused && !partitions.isEmpty()) {
        consumer.pause(partitions);
      }
      if (!assignedOnce && newGroup && !partitions.isEmpty()) {
        startAtTheEnd(partitions);
      }
      if (!assignedOnce) {
        assignedOnce = true;
        context.runOnContext(v -> joined.tryComplete());
      }
      log.debug("group '{}': assigned {} after {} ms", groupId, partitions, (System.nanoTime() - createdAt) / 1_000_000);
    }
  }

  // the partitions' next owner must not start a stream's next event while this member still handles its previous one
  private void awaitRunningHandlers() {
    Future<Void> drained = onContextAndWait(lanes::drain);
    if (drained == null) {
      return;
    }
    try {
      drained.toCompletionStage().toCompletableFuture().get(handBackTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      log.warn("group '{}': handlers still running {} ms after the rebalance began; handing their partitions back"
          + " anyway (broker.kafka.handBackTimeoutMs), so their streams' next events may start beside them", groupId,
          handBackTimeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      log.debug("group '{}': waiting for running handlers failed: {}", groupId, e.toString());
    }
  }

  // a new group starts at the end of its topics: commit those positions before anyone reads
  private void startAtTheEnd(Collection<TopicPartition> partitions) {
    Set<TopicPartition> assigned = new HashSet<>(partitions);
    Map<TopicPartition, OffsetAndMetadata> committed = retryOnWakeup(() -> consumer.committed(assigned, BLOCKING_CALL_TIMEOUT));
    Set<TopicPartition> fresh = new HashSet<>();
    for (TopicPartition tp : assigned) {
      if (committed.get(tp) == null) {
        fresh.add(tp);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    consumer.seekToEnd(fresh);
    Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
    for (TopicPartition tp : fresh) {
      ends.put(tp, new OffsetAndMetadata(retryOnWakeup(() -> consumer.position(tp, BLOCKING_CALL_TIMEOUT))));
    }
    retryOnWakeup(() -> {
      consumer.commitSync(ends, BLOCKING_CALL_TIMEOUT);
      return null;
    });
  }

  // wakeup() makes the next blocking call throw once; inside a rebalance callback that call must still happen
  private static <T> T retryOnWakeup(Supplier<T> call) {
    for (int i = 0; ; i++) {
      try {
        return call.get();
      } catch (WakeupException e) {
        if (i >= 3) {
          throw e;
        }
      }
    }
  }

  private <T> T onContextAndWait(Supplier<T> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get(BLOCKING_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("group '{}': the member's context did not answer during a rebalance: {}", groupId, e.toString());
      return null;
    }
  }

  private void wakeup() {
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // member context

  private record Revocation(Map<TopicPartition, OffsetAndMetadata> commit, List<Promise<Void>> waiters) {
  }

  private Revocation revoke(int ep) {
    epoch = ep;
    lanes.reset();
    bufferedSeen = 0;
    Map<TopicPartition, OffsetAndMetadata> commit = offsets.allPositions();
    offsets.clear();
    List<Promise<Void>> waiters = takeWaiters();
    pauseWanted = false;
    return new Revocation(commit, waiters);
  }

  private void accept(int ep, List<MemberMessage<ConsumerRecord<String, byte[]>>> batch) {
    handedOver.addAndGet(-batch.size());
    if (closed() || ep != epoch) {
      return; // from partitions revoked since: their next owner reads them again
    }
    boolean skipped = false;
    for (MemberMessage<ConsumerRecord<String, byte[]>> message : batch) {
      TopicPartition partition = partitionOf(message.source());
      offsets.received(partition, message.source().offset());
      if (!forThisGroup(message)) {
        offsets.acked(partition, message.source().offset());
        skipped = true;
      } else {
        lanes.offer(message);
      }
    }
    if (skipped) {
      requestCommit();
    }
    bufferedSeen = lanes.buffered();
    if (!pauseWanted && lanes.buffered() >= maxBuffered) {
      pauseWanted = true;
    } else {
      maybeResume();   // the polling thread may have paused for a batch that turned out to hold little
    }
  }

  private void maybeResume() {
    bufferedSeen = lanes.buffered();
    if (pauseWanted && lanes.buffered() + handedOver.get() <= maxBuffered / 2) {
      pauseWanted = false;
      wakeup();
    }
  }

  /** Records the ack of a message handed out by the lanes; completes when the commit that follows it did. */
  @Override
  public Future<Void> ack(MemberMessage<ConsumerRecord<String, byte[]>> message) {
    Promise<Void> done = Promise.promise();
    Runnable action = () -> {
      if (closed() || message.generation() != epoch) {
        done.fail(new IllegalStateException("the record " + message.raw().destination()
            + " was handed back (its partition was revoked or its subscription closed)"));
        return;
      }
      offsets.acked(partitionOf(message.source()), message.source().offset());
      ackWaiters.add(done);
      requestCommit();
    };
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
    return done.future();
  }

  @Override
  public Future<Void> deadLetter(MemberMessage<ConsumerRecord<String, byte[]>> message, Throwable reason, int attempts) {
    return deadLetters.send(message, group, reason, attempts).compose(v -> ack(message));
  }

  private void requestCommit() {
    if (commitInFlight) {
      commitWanted = true;
      return;
    }
    commitWanted = false;
    Map<TopicPartition, OffsetAndMetadata> commit = offsets.takeCommittable();
    List<Promise<Void>> waiters = takeWaiters();
    if (commit.isEmpty()) {
      settleWaiters(waiters, null); // nothing new is contiguous: the acks are recorded and wait for the gap to close
      return;
    }
    commitInFlight = true;
    int ep = epoch;
    tasks.add(() -> commitOnPollThread(ep, commit, waiters));
    wakeup();
  }

  private void commitDone(int ep, Map<TopicPartition, OffsetAndMetadata> commit, List<Promise<Void>> waiters,
                          Throwable error) {
    commitInFlight = false;
    if (error == null || ep != epoch || closed()) {
      settleWaiters(waiters, error == null || ep != epoch ? null : error);
    } else if (error instanceof RetriableException) {
      // Kafka is unreachable or its coordinator moved: keep the acks waiting and try again
      log.debug("group '{}': commit failed, retrying: {}", groupId, error.toString());
      offsets.recommit(commit.keySet());
      ackWaiters.addAll(0, waiters);
      vertx.setTimer(COMMIT_RETRY_MS, t -> {
        if (!closed() && !commitInFlight) {
          requestCommit();
        }
      });
      return;
    } else {
      offsets.recommit(commit.keySet());
      settleWaiters(waiters, error);
    }
    if (commitWanted && !closed()) {
      requestCommit();
    }
  }

  private List<Promise<Void>> takeWaiters() {
    List<Promise<Void>> waiters = ackWaiters;
    ackWaiters = new ArrayList<>();
    return waiters;
  }

  private void settleWaiters(List<Promise<Void>> waiters, Throwable error) {
    for (Promise<Void> waiter : waiters) {
      if (error == null) {
        waiter.tryComplete();
      } else {
        waiter.tryFail(error instanceof BrokerException ? error
            : new BrokerException("Kafka did not record the commit of group '" + groupId + "': " + error.getMessage(), error));
      }
    }
  }

  /**
   * Commits what was acked, hands back everything else (redelivered to the next owner) and stops the consumer;
   * {@link #leave()} first lets the handlers still running finish (their acks are committed), so the partitions' next
   * owner never starts a stream's next event beside its previous one.
   */
  @Override
  protected Future<Void> shutDown() {
    Map<TopicPartition, OffsetAndMetadata> commit = offsets.allPositions();
    List<Promise<Void>> waiters = takeWaiters();
    tasks.add(() -> {
      Throwable failure = null;
      if (!commit.isEmpty() && consumer != null) {
        try {
          retryOnWakeup(() -> {
            consumer.commitSync(commit, BLOCKING_CALL_TIMEOUT);
            return null;
          });
        } catch (RuntimeException e) {
          failure = e;
          log.warn("group '{}': committing acked offsets on close failed, they will be delivered again: {}",
              groupId, e.toString());
        }
      }
      Throwable cause = failure;
      context.runOnContext(x -> settleWaiters(waiters, cause));
      running = false;
    });
    if (!thread.isAlive()) {
      stopped.tryComplete();
    }
    wakeup();
    return stopped.future();
  }
}
