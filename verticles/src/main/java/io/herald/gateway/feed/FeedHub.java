package io.herald.gateway.feed;

import io.herald.event.CloudEventJson;
import io.herald.event.RecordedEvent;
import io.herald.store.EventStore;
import io.herald.store.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one live reader of the store for every feed client: a single catch-up-then-live subscription from the
 * head, whose events are encoded once and handed to the clients of each event loop in one task per page. Clients
 * catch up from the store on their own ({@link FeedSession}) and then take their events from here, so a thousand
 * clients cost one store reader, and a client that falls behind is dropped without the hub waiting for it.
 *
 * <p>Events are also published on the event bus at {@link #FEED_ADDRESS} (and {@code herald.feed.<aggregate type>})
 * as CloudEvents JSON while the SockJS bridge has sockets open, to this node's consumers only: in a cluster each
 * gateway node has its own hub, so publishing across nodes would hand every bridge client each event once per node.
 */
public final class FeedHub {

  private static final Logger log = LoggerFactory.getLogger(FeedHub.class);

  /** Event-bus address of every event, for the SockJS bridge. */
  public static final String FEED_ADDRESS = "herald.feed";

  // every gateway node reads the store itself: in a cluster, its bridge clients take their events from it alone
  private static final io.vertx.core.eventbus.DeliveryOptions LOCAL = new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final EventStore store;
  private final CloudEventJson cloudEvents;
  private final FeedOptions options;
  // keyed by event-loop thread: every request has a context of its own, so contexts would make a group per client
  private final Map<Thread, LoopGroup> groups = new ConcurrentHashMap<>();
  private final AtomicInteger clients = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger bridgeSockets = new AtomicInteger();
  private volatile long nextPosition;
  private Subscription subscription;

  public FeedHub(Vertx vertx, EventStore store, CloudEventJson cloudEvents, FeedOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.cloudEvents = Objects.requireNonNull(cloudEvents, "cloudEvents");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Starts reading from the store's current head. */
  public Future<Void> start() {
    return store.headPosition().map(head -> {
      nextPosition = head + 1;
      subscription = store.subscribePages(head + 1, this::dispatch);
      subscription.done().onFailure(err -> log.error("the live feed stopped reading the store", err));
      log.info("live feeds start at position {}", head + 1);
      return null;
    });
  }

  public Future<Void> close() {
    return subscription == null ? Future.succeededFuture() : subscription.close();
  }

  public FeedOptions options() {
    return options;
  }

  public EventStore store() {
    return store;
  }

  /** @return the event as CloudEvents JSON text */
  String encode(RecordedEvent event) {
    return cloudEvents.encode(event).encode();
  }

  /** @return the position after the last event handed to the clients: a client that has read the store up to here is live */
  long nextPosition() {
    return nextPosition;
  }

  /** @return feed connections open now */
  public int clients() {
    return clients.get();
  }

  /** @return whether one more client may connect; if so it counts until {@link #release()} */
  boolean admit() {
    while (true) {
      int now = clients.get();
      if (now >= options.maxClients()) {
        return false;
      }
      if (clients.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void release() {
    clients.decrementAndGet();
  }

  /** Adds a session to the clients of its event loop; call on the session's context. */
  void join(FeedSession session) {
    groups.computeIfAbsent(Thread.currentThread(), thread -> new LoopGroup(session.context())).add(session);
    sessions.incrementAndGet();
  }

  /** Call on the session's context. */
  void leave(FeedSession session) {
    LoopGroup group = groups.get(Thread.currentThread());
    if (group != null && group.remove(session)) {
      sessions.decrementAndGet();
    }
  }

  void bridgeSocketOpened() {
    bridgeSockets.incrementAndGet();
  }

  void bridgeSocketClosed() {
    bridgeSockets.decrementAndGet();
  }

  // never waits for a client: the subscription moves on as soon as the page is handed over
  private Future<Void> dispatch(List<RecordedEvent> page) {
    long next = page.get(page.size() - 1).position() + 1;
    boolean bridged = bridgeSockets.get() > 0;
    if (sessions.get() == 0 && !bridged) {
      nextPosition = next;
      return yieldToEventLoop();
    }
    List<FeedEvent> events = new ArrayList<>(page.size());
    for (RecordedEvent event : page) {
      JsonObject json = cloudEvents.encode(event);
      events.add(FeedEvent.of(event.position(), event.type(), json.encode()));
      if (bridged) {
        vertx.eventBus().publish(FEED_ADDRESS, json, LOCAL);
        vertx.eventBus().publish(FEED_ADDRESS + "." + event.envelope().aggregatetype(), json, LOCAL);
      }
    }
    // moved before the hand-over, so a session that sees it after the hand-over ran knows its read covered these
    nextPosition = next;
    for (LoopGroup group : groups.values()) {
      group.context.runOnContext(v -> group.deliver(events));
    }
    return yieldToEventLoop();
  }

  /**
   * Completes on a later turn of this event loop. A store that answers at once would otherwise have the subscription
   * read and dispatch page after page in one task while writers keep appending, and the sessions of this loop would
   * not get a turn.
   */
  private Future<Void> yieldToEventLoop() {
    Promise<Void> turn = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> turn.complete());
    return turn.future();
  }

  /** The sessions of one event loop; touched only on that loop, reached through any context of it. */
  private static final class LoopGroup {

    private final Context context;
    private final List<FeedSession> sessions = new ArrayList<>();

    LoopGroup(Context context) {
      this.context = context;
    }

    void add(FeedSession session) {
      sessions.add(session);
    }

    boolean remove(FeedSession session) {
      return sessions.remove(session);
    }

    void deliver(List<FeedEvent> events) {
      // a session may leave while it is handed events (a slow client is dropped), so walk a copy
      for (FeedSession session : sessions.toArray(FeedSession[]::new)) {
        session.live(events);
      }
    }
  }
}
