package io.herald.aggregate;

import io.herald.event.DomainEvent;
import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.EventIds;
import io.herald.event.RecordedEvent;
import io.herald.store.ConcurrencyConflictException;
import io.herald.store.EventStore;
import io.herald.store.Snapshot;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event-sourced aggregates on an {@link EventStore}: load (latest snapshot, then the events after it), decide,
 * append with the version that was loaded. When another writer appended first, the command is decided again on
 * the fresh state, so concurrent commands on one aggregate never lose an update. A snapshot is stored whenever a
 * command moves the stream past a multiple of {@link RepositoryOptions#snapshotEvery()} events.
 *
 * @param <S> the state type
 */
public final class AggregateRepository<S> {

  private static final Logger log = LoggerFactory.getLogger(AggregateRepository.class);

  private final EventStore store;
  private final Aggregate<S> aggregate;
  private final EventFactory events;
  private final RepositoryOptions options;

  public AggregateRepository(EventStore store, Aggregate<S> aggregate, EventFactory events, RepositoryOptions options) {
    this.store = Objects.requireNonNull(store, "store");
    this.aggregate = Objects.requireNonNull(aggregate, "aggregate");
    this.events = Objects.requireNonNull(events, "events");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** @return the stream holding an aggregate's events: {@code <type>-<id>} */
  public String streamId(String id) {
    return aggregate.type() + "-" + id;
  }

  /** Loads an aggregate; one that has no events comes back in its initial state at version 0. */
  public Future<Loaded<S>> load(String id) {
    String stream = streamId(id);
    return store.loadSnapshot(stream).compose(snapshot -> {
      boolean usable = snapshot.isPresent() && snapshot.get().stateType().equals(aggregate.snapshotType());
      S base = usable ? aggregate.fromSnapshot(snapshot.get().state()) : aggregate.initial();
      long baseVersion = usable ? snapshot.get().version() : 0;
      return store.readStream(stream, baseVersion + 1).map(stored -> {
        S state = base;
        long version = baseVersion;
        for (RecordedEvent event : stored) {
          state = aggregate.apply(state, event.data());
          version = event.version();
        }
        return new Loaded<>(id, state, version);
      });
    });
  }

  /** Handles a command that starts a new flow; see {@link #handle(String, String, String, Function)}. */
  public Future<CommandResult<S>> handle(String id, Function<Loaded<S>, List<? extends DomainEvent>> decide) {
    return handle(id, null, null, decide);
  }

  /**
   * Handles one command.
   *
   * @param id            the aggregate id
   * @param correlationId the flow the command belongs to, or {@code null} to start one
   * @param causationId   what caused the command, or {@code null}
   * @param decide        given the current aggregate, the events to append (empty: nothing to do); throws
   *                      {@link CommandRejectedException} to refuse, with the reason. It may run more than once,
   *                      so it must not have side effects.
   * @return the outcome; fails with {@link CommandRejectedException}, or with {@link ConcurrencyConflictException}
   *     after {@link RepositoryOptions#maxConflictRetries()} lost races
   */
  public Future<CommandResult<S>> handle(String id, String correlationId, String causationId,
                                         Function<Loaded<S>, List<? extends DomainEvent>> decide) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(decide, "decide");
    String correlation = correlationId == null ? EventIds.next().toString() : correlationId;
    return attempt(id, correlation, causationId, decide, 0);
  }

  private Future<CommandResult<S>> attempt(String id, String correlation, String causation,
                                           Function<Loaded<S>, List<? extends DomainEvent>> decide, int conflicts) {
    return load(id).compose(loaded -> {
      List<? extends DomainEvent> decided;
      try {
        decided = decide.apply(loaded);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      if (decided == null || decided.isEmpty()) {
        return Future.succeededFuture(new CommandResult<>(loaded, null, List.of()));
      }
      List<EventEnvelope> envelopes = new ArrayList<>(decided.size());
      for (DomainEvent event : decided) {
        if (!id.equals(event.aggregateId())) {
          return Future.failedFuture(new IllegalStateException(event.getClass().getSimpleName() + " belongs to aggregate '"
              + event.aggregateId() + "', not to '" + id + "'"));
        }
        envelopes.add(events.correlated(correlation, causation, event));
      }
      return store.append(streamId(id), loaded.version(), envelopes)
          .compose(appended -> {
            S state = loaded.state();
            for (DomainEvent event : decided) {
              state = aggregate.apply(state, event);
            }
            Loaded<S> after = new Loaded<>(id, state, appended.nextVersion());
            return snapshotIfDue(loaded.version(), after).map(v -> new CommandResult<>(after, appended, envelopes));
          })
          .recover(err -> err instanceof ConcurrencyConflictException && conflicts < options.maxConflictRetries()
              ? attempt(id, correlation, causation, decide, conflicts + 1)
              : Future.failedFuture(err));
    });
  }

  // a snapshot only speeds up loading: failing to store one never fails the command
  private Future<Void> snapshotIfDue(long before, Loaded<S> after) {
    int every = options.snapshotEvery();
    if (every == 0 || after.version() / every == before / every) {
      return Future.succeededFuture();
    }
    Snapshot snapshot = new Snapshot(streamId(after.id()), after.version(), aggregate.snapshotType(),
        aggregate.toSnapshot(after.state()), Instant.now());
    return store.saveSnapshot(snapshot).recover(err -> {
      log.warn("snapshot of {} at version {} not stored: {}", snapshot.streamId(), snapshot.version(), err.getMessage());
      return Future.succeededFuture();
    });
  }
}
