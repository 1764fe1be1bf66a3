package io.herald.store.pg;

import io.herald.event.EventEnvelope;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.herald.store.AppendResult;
import io.herald.store.CheckpointStore;
import io.herald.store.EventPage;
import io.herald.store.EventStore;
import io.herald.store.Snapshot;
import io.herald.store.Subscription;
import io.herald.store.SubscriptionHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;

/** PostgreSQL event store (work in progress: API shape only). */
public final class PgEventStore implements EventStore {

  private PgEventStore() {
  }

  /** Connects, migrates the schema and starts listening for commits. Fails with a one-line reason naming the address. */
  public static Future<PgEventStore> connect(Vertx vertx, PgStoreOptions options, EventRegistry registry) {
    return Future.failedFuture(new UnsupportedOperationException("not yet"));
  }

  /** @return checkpoints stored in the same database and schema */
  public CheckpointStore checkpoints() {
    throw new UnsupportedOperationException();
  }

  @Override public Future<AppendResult> append(String streamId, long expectedVersion, List<EventEnvelope> events) { throw new UnsupportedOperationException(); }
  @Override public Future<List<RecordedEvent>> readStream(String streamId, long fromVersion) { throw new UnsupportedOperationException(); }
  @Override public Future<EventPage> readAll(long fromPosition, int limit) { throw new UnsupportedOperationException(); }
  @Override public Future<Long> headPosition() { throw new UnsupportedOperationException(); }
  @Override public Subscription subscribe(long fromPosition, SubscriptionHandler handler) { throw new UnsupportedOperationException(); }
  @Override public Future<Void> saveSnapshot(Snapshot snapshot) { throw new UnsupportedOperationException(); }
  @Override public Future<Optional<Snapshot>> loadSnapshot(String streamId) { throw new UnsupportedOperationException(); }
  @Override public Future<Void> ping() { throw new UnsupportedOperationException(); }
  @Override public String describe() { return "postgres"; }
  @Override public Future<Void> close() { throw new UnsupportedOperationException(); }
}
