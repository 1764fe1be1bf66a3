package io.herald.store.memory;

import io.herald.event.EventEnvelope;
import io.herald.event.RecordedEvent;
import io.herald.store.AppendRequest;
import io.herald.store.AppendResult;
import io.herald.store.CheckpointStore;
import io.herald.store.ConcurrencyConflictException;
import io.herald.store.DuplicateEventException;
import io.herald.store.EventPage;
import io.herald.store.EventSizeLimit;
import io.herald.store.EventStore;
import io.herald.store.EventTooLargeException;
import io.herald.store.PageHandler;
import io.herald.store.Snapshot;
import io.herald.store.Subscription;
import io.herald.store.SubscriptionHandler;
import io.herald.store.SubscriptionHub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The embedded store: everything in this JVM's heap, lost when it stops. Appends are serialized by one lock,
 * which is what gives positions their commit order here.
 */
public final class InMemoryEventStore implements EventStore {

  private static final int SUBSCRIPTION_BATCH = 512;
  private static final long SUBSCRIPTION_POLL_MS = 1_000;

  private final Vertx vertx;
  private final EventSizeLimit sizeLimit;
  private final SubscriptionHub subscriptions = new SubscriptionHub(this);
  private final List<RecordedEvent> all = new ArrayList<>();
  private final Map<String, List<RecordedEvent>> streams = new HashMap<>();
  private final Set<UUID> ids = new HashSet<>();
  private final Map<String, Snapshot> snapshots = new HashMap<>();
  private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();

  public InMemoryEventStore(Vertx vertx) {
    this(vertx, EventSizeLimit.DEFAULT);
  }

  /** @param sizeLimit the largest event an append takes; a larger one fails it with {@link EventTooLargeException} */
  public InMemoryEventStore(Vertx vertx, EventSizeLimit sizeLimit) {
    this.vertx = vertx;
    this.sizeLimit = java.util.Objects.requireNonNull(sizeLimit, "sizeLimit");
  }

  @Override
  public Future<AppendResult> append(String streamId, long expectedVersion, List<EventEnvelope> events) {
    IllegalArgumentException invalid = AppendRequest.problem(streamId, expectedVersion, events);
    if (invalid != null) {
      return Future.failedFuture(invalid);
    }
    EventTooLargeException tooLarge = sizeLimit.check(streamId, events);
    if (tooLarge != null) {
      return Future.failedFuture(tooLarge);
    }
    AppendResult result;
    synchronized (this) {
      List<RecordedEvent> stream = streams.getOrDefault(streamId, List.of());
      long current = stream.size();
      if (expectedVersion != ANY_VERSION && expectedVersion != current) {
        return Future.failedFuture(new ConcurrencyConflictException(streamId, expectedVersion, current));
      }
      Set<UUID> fresh = new HashSet<>();
      for (EventEnvelope e : events) {
        if (ids.contains(e.id()) || !fresh.add(e.id())) {
          return Future.failedFuture(new DuplicateEventException(e.id()));
        }
      }
      List<RecordedEvent> target = streams.computeIfAbsent(streamId, k -> new ArrayList<>());
      long first = all.size() + 1L;
      long version = current;
      for (EventEnvelope e : events) {
        RecordedEvent recorded = new RecordedEvent(all.size() + 1L, streamId, e.withSequence(++version));
        all.add(recorded);
        target.add(recorded);
      }
      ids.addAll(fresh);
      result = new AppendResult(streamId, version, first, all.size());
    }
    subscriptions.wakeAll();
    return Future.succeededFuture(result);
  }

  @Override
  public synchronized Future<List<RecordedEvent>> readStream(String streamId, long fromVersion) {
    List<RecordedEvent> stream = streams.getOrDefault(streamId, List.of());
    int from = (int) Math.max(0, Math.min(stream.size(), fromVersion - 1));
    return Future.succeededFuture(List.copyOf(stream.subList(from, stream.size())));
  }

  @Override
  public synchronized Future<EventPage> readAll(long fromPosition, int limit) {
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("limit must be >= 1, was " + limit));
    }
    int from = (int) Math.max(0, Math.min(all.size(), fromPosition - 1));
    int to = Math.min(all.size(), from + limit);
    List<RecordedEvent> page = List.copyOf(all.subList(from, to));
    long next = page.isEmpty() ? Math.max(fromPosition, 1) : page.get(page.size() - 1).position() + 1;
    return Future.succeededFuture(new EventPage(page, next));
  }

  @Override
  public synchronized Future<Long> headPosition() {
    return Future.succeededFuture((long) all.size());
  }

  @Override
  public Subscription subscribe(long fromPosition, SubscriptionHandler handler) {
    return subscriptions.start(vertx, fromPosition, handler, SUBSCRIPTION_BATCH, SUBSCRIPTION_POLL_MS);
  }

  @Override
  public Subscription subscribePages(long fromPosition, PageHandler handler) {
    return subscribePages(fromPosition, SUBSCRIPTION_BATCH, handler);
  }

  @Override
  public Subscription subscribePages(long fromPosition, int pageSize, PageHandler handler) {
    return subscriptions.startPages(vertx, fromPosition, handler, pageSize, SUBSCRIPTION_POLL_MS);
  }

  @Override
  public synchronized Future<Void> saveSnapshot(Snapshot snapshot) {
    snapshots.merge(snapshot.streamId(), snapshot, (old, neu) -> neu.version() >= old.version() ? neu : old);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Optional<Snapshot>> loadSnapshot(String streamId) {
    return Future.succeededFuture(Optional.ofNullable(snapshots.get(streamId)));
  }

  @Override
  public CheckpointStore checkpoints() {
    return checkpoints;
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public String describe() {
    return "memory (events are kept in this process only and are lost when it stops)";
  }

  @Override
  public Future<Void> close() {
    return subscriptions.closeAll();
  }
}
