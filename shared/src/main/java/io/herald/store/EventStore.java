package io.herald.store;

import io.herald.event.EventEnvelope;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * The single source of truth: streams of events per aggregate, and one global order over all of them.
 *
 * <p>Positions start at 1 and grow in commit order: when a reader has seen position {@code p}, no event
 * with a position below {@code p} can appear later. That is what makes {@link #readAll} and
 * {@link #subscribe} safe to resume from a checkpoint while writers run concurrently.
 *
 * <p>Every method returns a future completed on the caller's context. Failures are typed:
 * {@link ConcurrencyConflictException}, {@link DuplicateEventException}, {@link StoreUnavailableException}.
 */
public interface EventStore {

  /** Expected version that skips the concurrency check. */
  long ANY_VERSION = -1L;

  /** Expected version of a stream that must not exist yet (it has no events). */
  long NO_STREAM = 0L;

  /**
   * Appends events to a stream atomically: either all are stored, at versions {@code expectedVersion + 1 ..},
   * or none.
   *
   * @param streamId        the stream, usually {@code <aggregatetype>-<aggregate id>}
   * @param expectedVersion the stream's current version as the caller saw it, {@link #NO_STREAM}, or {@link #ANY_VERSION}
   * @param events          one or more envelopes; their {@code sequence} is assigned here
   * @return the stream's new version and the global positions given to the events; fails with
   *     {@link ConcurrencyConflictException} carrying the expected and actual versions when the check fails
   */
  Future<AppendResult> append(String streamId, long expectedVersion, List<EventEnvelope> events);

  /**
   * Reads a stream in version order.
   *
   * @param fromVersion first version to return (1 for the whole stream)
   * @return the events, empty when the stream does not exist
   */
  Future<List<RecordedEvent>> readStream(String streamId, long fromVersion);

  /**
   * Reads the global order.
   *
   * @param fromPosition first position to return (inclusive; 1 for the beginning)
   * @param limit        maximum number of events, at least 1
   * @return a page whose {@code next} is where the following read starts
   */
  Future<EventPage> readAll(long fromPosition, int limit);

  /**
   * @return the highest position a reader can read up to without ever missing an event below it: the last stored
   *     position, unless a write that took lower positions has not finished yet; 0 when the store is empty
   */
  Future<Long> headPosition();

  /**
   * Delivers every event from {@code fromPosition} on, in global order: first those already stored
   * (catch-up), then new ones as they are committed (live). The handler's future gates the next event,
   * so a slow handler slows its own subscription and nothing else.
   *
   * @param fromPosition first position to deliver (inclusive); a checkpoint {@code c} resumes with {@code c + 1}
   * @param handler      called once per event; a failed future stops the subscription with that failure
   * @return the running subscription
   */
  Subscription subscribe(long fromPosition, SubscriptionHandler handler);

  /**
   * As {@link #subscribe}, delivering the events a page at a time: each page is what one read of the store
   * returned, so a handler that commits per page commits at most one read's worth of events at once.
   */
  Subscription subscribePages(long fromPosition, PageHandler handler);

  /**
   * As {@link #subscribePages(long, PageHandler)}, reading at most {@code pageSize} events at a time instead of the
   * store's own page size: a read model catching up from far behind applies fewer, larger pages.
   *
   * @throws IllegalArgumentException when {@code pageSize} is below 1
   */
  Subscription subscribePages(long fromPosition, int pageSize, PageHandler handler);

  /** Stores a snapshot of an aggregate's state; an older snapshot than the one stored is ignored. */
  Future<Void> saveSnapshot(Snapshot snapshot);

  /** @return the latest snapshot of a stream, if any */
  Future<Optional<Snapshot>> loadSnapshot(String streamId);

  /**
   * Reads what loading an aggregate needs: the stream's latest snapshot if its state type is {@code snapshotType},
   * and the events after it (from version 1 without one). A store may answer in one round trip; this default asks
   * {@link #loadSnapshot} and then {@link #readStream}.
   */
  default Future<StreamHistory> loadStream(String streamId, String snapshotType) {
    return loadSnapshot(streamId).compose(found -> {
      Optional<Snapshot> usable = found.filter(s -> s.stateType().equals(snapshotType));
      long from = usable.map(Snapshot::version).orElse(0L) + 1;
      return readStream(streamId, from).map(events -> new StreamHistory(usable, events));
    });
  }

  /**
   * @return the checkpoints of this store's readers (relay, projections), kept beside the events so they live and
   *     die with them
   */
  CheckpointStore checkpoints();

  /** @return succeeds when the store answers; used by readiness checks */
  Future<Void> ping();

  /** @return a short description for banners and health output, e.g. {@code postgres 127.0.0.1:5432/test} */
  String describe();

  /** Stops subscriptions and releases connections. */
  Future<Void> close();
}
