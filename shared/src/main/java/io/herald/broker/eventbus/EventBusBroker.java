package io.herald.broker.eventbus;

import io.herald.async.Backoff;
import io.herald.async.OnContext;
import io.herald.broker.BrokerCapacityException;
import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.DeadLetterHeaders;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.RawMessage;
import io.herald.broker.StructuredCloudEvents;
import io.herald.broker.TypePatterns;
import io.herald.broker.support.AbstractBroker;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageConsumerOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default broker, on the Vert.x event bus. Nothing is persisted: the event store is the durable
 * copy, and the relay re-publishes from its checkpoint after a restart.
 *
 * <p><b>How it works.</b> {@link #publish} sends the {@link RecordedEvent} with
 * {@code vertx.eventBus().publish(address, ..)}, using the RecordedEvent codec (register it once per Vert.x
 * instance with {@link io.herald.event.EventCodecs#register} before publishing). Each broker receives every
 * event on that address and queues it, per stream, for each of its consumer groups whose patterns match. The
 * publish is confirmed once the event is queued for all matching groups of this broker; a group then delivers
 * it to one of its members (competing consumers), holds back later events of the same stream until it is acked,
 * and after a nack delivers it again after an exponential backoff
 * ({@link EventBusBrokerOptions#redeliveryBaseMs()} .. {@link EventBusBrokerOptions#redeliveryCapMs()}).
 *
 * <p><b>Groups.</b> A group exists from its first {@link #subscribe} until {@link #deleteGroup} or
 * {@link #close()}: it keeps queueing events while it has no members (for example during a redeploy) and
 * receives only events published after it was created; replaying older events is the store's job.
 *
 * <p><b>Bounded memory.</b> A group holds at most {@link EventBusBrokerOptions#maxUnackedPerGroup()} unacked
 * events. A publish that would exceed the bound of any matching group is refused as a whole (queued for no
 * group) with {@link BrokerCapacityException}, so nothing is dropped silently: the relay keeps its position and
 * retries with backoff. A group that stops consuming therefore stalls publishing once it is full; delete it if it
 * is gone for good. Events are immutable and shared by all groups, so the extra memory per queued event is
 * one queue slot per group.
 *
 * <p><b>Clustered Vert.x.</b> {@code eventBus().publish} reaches the broker of every node, so the groups of
 * every node receive each event, and a group with members on several nodes gets each event once per node;
 * competing consumers only compete within one process. Only this node's groups are covered by the publish
 * confirmation; delivery to other nodes is fire-and-forget, and an event that arrives from another node while a
 * local group is full is logged at ERROR and not queued. Run one relay for the cluster, or set
 * {@link EventBusBrokerOptions#localOnly()} and give each node its own relay and checkpoint name. Durable,
 * acknowledged multi-node delivery needs a real broker adapter (Kafka, RabbitMQ, Redis Streams, NATS JetStream).
 *
 * <p><b>Threads.</b> All group state lives on the context the broker was created on; create it outside
 * verticles (in the launcher), because a verticle's event-bus consumers are removed when it undeploys.
 * Handlers run on the subscriber's context, and every returned future completes on the caller's context.
 */
public final class EventBusBroker extends AbstractBroker<EventBusMember, EventBusBrokerOptions> {

  private static final Logger log = LoggerFactory.getLogger(EventBusBroker.class);

  static final String ORIGIN_HEADER = "herald-origin";
  static final String CONFIRM_HEADER = "herald-confirm";

  private final Backoff redelivery;
  private final StructuredCloudEvents cloudEvents;
  private final Map<String, Deque<RawMessage>> deadLetters = new ConcurrentHashMap<>();
  private final String id = UUID.randomUUID().toString();
  private final AtomicLong confirmSeq = new AtomicLong();
  private final Map<Long, PendingConfirm> confirms = new ConcurrentHashMap<>();
  private final Map<String, EventBusGroup> groups = new HashMap<>();
  private MessageConsumer<RecordedEvent> ingress;

  /** A publish waiting for this broker to queue it, and the context to confirm it on. */
  private record PendingConfirm(Context caller, Promise<Void> promise) {
    void succeed() {
      OnContext.complete(caller, promise, Future.succeededFuture());
    }

    void fail(Throwable cause) {
      OnContext.complete(caller, promise, Future.failedFuture(cause));
    }
  }

  /** Creates a broker with {@link EventBusBrokerOptions#defaults()}. */
  public EventBusBroker(Vertx vertx, EventRegistry registry) {
    this(vertx, EventBusBrokerOptions.defaults(), registry);
  }

  /**
   * @param registry the event types, for the structured CloudEvents form of dead letters and redrives
   */
  public EventBusBroker(Vertx vertx, EventBusBrokerOptions options, EventRegistry registry) {
    super(vertx, options);
    this.cloudEvents = new StructuredCloudEvents(registry);
    this.redelivery = new Backoff(options.redeliveryBaseMs(), options.redeliveryCapMs());
  }

  @Override
  public String name() {
    return "eventbus " + options.address() + (options.localOnly() ? " (local only)" : "");
  }

  /** Registers the consumer of the broker's address. */
  @Override
  protected Future<Void> open() {
    ingress = vertx.eventBus().consumer(new MessageConsumerOptions()
        .setAddress(options.address())
        .setLocalOnly(options.localOnly()), this::accept);
    return ingress.completion();
  }

  @Override
  protected void undoOpen() {
    ingress.unregister();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Confirmed once the event is queued for every matching group of this broker (immediately when none
   * matches); fails with {@link BrokerCapacityException} when a matching group is full, with
   * {@link BrokerUnavailableException} when the broker is not started or closes meanwhile, and with
   * {@link BrokerException} when the event cannot be sent (no codec registered).
   */
  @Override
  public Future<Void> publish(RecordedEvent event) {
    Objects.requireNonNull(event, "event");
    if (!state.isStarted()) {
      return Future.failedFuture(notStarted());
    }
    long seq = confirmSeq.incrementAndGet();
    PendingConfirm confirm = new PendingConfirm(Vertx.currentContext(), Promise.promise());
    confirms.put(seq, confirm);
    DeliveryOptions delivery = new DeliveryOptions()
        .setLocalOnly(options.localOnly())
        .addHeader(ORIGIN_HEADER, id)
        .addHeader(CONFIRM_HEADER, Long.toString(seq));
    try {
      vertx.eventBus().publish(options.address(), event, delivery);
    } catch (RuntimeException e) {
      confirms.remove(seq);
      return Future.failedFuture(new BrokerException("cannot publish position " + event.position()
          + " on the event bus (are the codecs registered with EventCodecs.register?): " + e.getMessage(), e));
    }
    // close() may have swept the pending confirms just before this one was added
    if (state.isClosed() && confirms.remove(seq) != null) {
      return Future.failedFuture(notStarted());
    }
    return confirm.promise().future();
  }

  /**
   * Members of one group must use the same patterns; while a group has no members, a new subscription may change them
   * (events already queued stay queued). Fails with {@link IllegalStateException} when the group has members
   * subscribed with other patterns.
   */
  @Override
  protected Future<EventBusMember> join(String group, TypePatterns patterns, DeliveryHandler handler,
                                        Context memberContext) {
    return onBrokerContext(() -> {
      if (!state.isStarted()) {
        return Future.failedFuture(state.unavailable());
      }
      EventBusGroup g = groups.get(group);
      if (g == null) {
        g = new EventBusGroup(this, group, patterns, vertx, options.maxUnackedPerGroup(), redelivery);
        groups.put(group, g);
      } else if (!g.patterns().equals(patterns)) {
        if (g.hasMembers()) {
          return Future.failedFuture(new IllegalStateException("consumer group '" + group + "' is subscribed to "
              + g.patterns() + "; a member cannot join it with " + patterns));
        }
        g.patterns(patterns);
      }
      EventBusGroup joined = g;
      return Future.succeededFuture(g.join(new EventBusMember(memberContext, handler, options.maxInFlightPerMember(),
          member -> onBrokerContext(() -> joined.leave(member, options.handBackTimeoutMs())))));
    });
  }

  @Override
  protected void validateGroup(String group) {
    if (group == null || group.isBlank()) {
      throw new IllegalArgumentException("group must not be blank");
    }
  }

  /**
   * Deletes a consumer group with its queued events; its members stop receiving and their unsettled
   * deliveries can no longer be settled. Does nothing when the group does not exist.
   *
   * @return completes when the group is gone
   */
  public Future<Void> deleteGroup(String group) {
    Context caller = Vertx.currentContext();
    Promise<Void> deleted = Promise.promise();
    OnContext.run(context, () -> {
      EventBusGroup g = groups.remove(group);
      if (g != null) {
        log.info("consumer group '{}' deleted with {} unacked events", group, g.unacked());
        g.close();
      }
      deleted.complete();
    });
    return OnContext.of(caller, deleted.future());
  }

  @Override
  public RecordedEvent decode(RawMessage message) {
    return cloudEvents.decode(message.payload());
  }

  /**
   * @return the messages the group dead-lettered, oldest first (at most
   *     {@link EventBusBrokerOptions#maxUnackedPerGroup()} are kept; this broker keeps nothing across restarts)
   */
  public List<RawMessage> deadLetters(String group) {
    Deque<RawMessage> letters = deadLetters.get(group);
    synchronized (deadLetters) {
      return letters == null ? List.of() : List.copyOf(letters);
    }
  }

  StructuredCloudEvents cloudEvents() {
    return cloudEvents;
  }

  Future<Void> deadLetter(EventBusDelivery delivery, Throwable reason, int attempts) {
    RawMessage original = delivery.message();
    Map<String, String> headers = new LinkedHashMap<>(original.headers());
    headers.putAll(DeadLetterHeaders.of(reason, attempts, delivery.group(), original.destination()));
    RawMessage letter = new RawMessage(original.payload(), headers, original.destination());
    return settle(delivery, null).onSuccess(acked -> {
      synchronized (deadLetters) {
        Deque<RawMessage> queue = deadLetters.computeIfAbsent(delivery.group(), g -> new ArrayDeque<>());
        queue.addLast(letter);
        while (queue.size() > options.maxUnackedPerGroup()) {
          queue.removeFirst();
        }
      }
    });
  }

  /** @return succeeds while the broker is started */
  @Override
  public Future<Void> ping() {
    return whenStarted(Future::succeededFuture);
  }

  /** Drops every group, unregisters from the address and fails publishes that were not confirmed yet. */
  @Override
  protected Future<Void> closeClients() {
    groups.values().forEach(EventBusGroup::close);
    groups.clear();
    return ingress.unregister().transform(ar -> {
      failPendingConfirms();
      return Future.<Void>succeededFuture();
    });
  }

  Future<Void> settle(EventBusDelivery delivery, Throwable nackReason) {
    Context caller = Vertx.currentContext();
    Promise<Void> settled = Promise.promise();
    OnContext.run(context, () -> {
      if (state.isClosed()) {
        settled.fail(notStarted());
        return;
      }
      RuntimeException refused = delivery.consumerGroup().settle(delivery, nackReason);
      if (refused == null) {
        settled.complete();
      } else {
        settled.fail(refused);
      }
    });
    return OnContext.of(caller, settled.future());
  }

  // Runs on the broker's context, in publish order: all matching groups take the event, or none does.
  private void accept(Message<RecordedEvent> message) {
    RecordedEvent event = message.body();
    PendingConfirm confirm = id.equals(message.headers().get(ORIGIN_HEADER))
        ? confirms.remove(Long.parseLong(message.headers().get(CONFIRM_HEADER)))
        : null;
    if (!state.isStarted()) {
      if (confirm != null) {
        confirm.fail(notStarted());
      }
      return;
    }
    List<EventBusGroup> targets = new ArrayList<>();
    for (EventBusGroup g : groups.values()) {
      if (!g.accepts(event)) {
        continue;
      }
      if (g.isFull()) {
        BrokerCapacityException full = new BrokerCapacityException(g.name(), g.maxUnacked(), event.position());
        if (confirm != null) {
          confirm.fail(full);
        } else {
          log.error("event at position {} from another node was not queued: {}", event.position(), full.getMessage());
        }
        return;
      }
      targets.add(g);
    }
    for (EventBusGroup g : targets) {
      g.enqueue(event);
    }
    if (confirm != null) {
      confirm.succeed();
    }
  }

  private void failPendingConfirms() {
    for (Long seq : List.copyOf(confirms.keySet())) {
      PendingConfirm pending = confirms.remove(seq);
      if (pending != null) {
        pending.fail(notStarted());
      }
    }
  }

  private BrokerUnavailableException notStarted() {
    return state.unavailable();
  }
}
