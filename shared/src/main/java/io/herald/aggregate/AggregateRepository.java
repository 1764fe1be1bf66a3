package io.herald.aggregate;

import io.herald.event.DomainEvent;
import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.EventIds;
import io.herald.event.RecordedEvent;
import io.herald.store.AppendResult;
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
 * the fresh state, so concurrent commands on one aggregate never lose an update. The aggregates handled last are
 * remembered as their commands left them ({@link RepositoryOptions#cachedAggregates()}), and the next command on one
 * is decided without reading the store; what it decides is still checked against the store (see {@code attempt}).
 * A snapshot is stored whenever a command moves the stream past a multiple of {@link RepositoryOptions#snapshotEvery()}
 * events.
 *
 * @param <S> the state type
 */
public final class AggregateRepository<S> {

  private static final Logger log = LoggerFactory.getLogger(AggregateRepository.class);

  private final EventStore store;
  private final Aggregate<S> aggregate;
  private final EventFactory events;
  private final RepositoryOptions options;
  private final RecentAggregates<S> recent;

  public AggregateRepository(EventStore store, Aggregate<S> aggregate, EventFactory events, RepositoryOptions options) {
    this.store = Objects.requireNonNull(store, "store");
    this.aggregate = Objects.requireNonNull(aggregate, "aggregate");
    this.events = Objects.requireNonNull(events, "events");
    this.options = Objects.requireNonNull(options, "options");
    this.recent = new RecentAggregates<>(options.cachedAggregates());
  }

  /** @return the stream holding an aggregate's events: {@code <type>-<id>} */
  public String streamId(String id) {
    return aggregate.type() + "-" + id;
  }

  /** Loads an aggregate from the store; one that has no events comes back in its initial state at version 0. */
  public Future<Loaded<S>> load(String id) {
    String stream = streamId(id);
    return store.loadStream(stream, aggregate.snapshotType()).map(history -> {
      S state = history.snapshot().map(s -> aggregate.fromSnapshot(s.state())).orElseGet(aggregate::initial);
      long version = history.snapshot().map(Snapshot::version).orElse(0L);
      for (RecordedEvent event : history.events()) {
        state = aggregate.apply(state, event.data());
        version = event.version();
      }
      Loaded<S> loaded = new Loaded<>(id, state, version);
      recent.put(loaded);
      return loaded;
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

  /**
   * Handles a command on an aggregate that most likely has no events yet (a fresh id, or one derived from a flow
   * that is new), deciding it on the initial state, or on the state this repository remembers, without reading the
   * store. Should the stream exist after all, the append's version check refuses, and the command is decided again
   * on the stored aggregate: the outcome is the one {@link #handle(String, String, String, Function)} gives, at the
   * cost of one more round trip.
   */
  public Future<CommandResult<S>> handleNew(String id, String correlationId, String causationId,
                                            Function<Loaded<S>, List<? extends DomainEvent>> decide) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(decide, "decide");
    String correlation = correlationId == null ? EventIds.next().toString() : correlationId;
    Loaded<S> remembered = recent.get(id);
    return decideAndAppend(remembered != null ? remembered : new Loaded<>(id, aggregate.initial(), 0), true, correlation,
        causationId, decide, 0);
  }

  // Decides on the aggregate as this repository last left it when it has it, else on a fresh load. Whatever a
  // remembered state decides is checked against the store: events by the append's expected version (a stale state
  // conflicts, and the command is decided again on a fresh load); a refusal or "nothing to do" by deciding again on
  // a fresh load, since no append checks those. So the outcomes are the ones fresh loads would give.
  private Future<CommandResult<S>> attempt(String id, String correlation, String causation,
                                           Function<Loaded<S>, List<? extends DomainEvent>> decide, int conflicts) {
    Loaded<S> remembered = recent.get(id);
    return remembered == null ? decideOnFresh(id, correlation, causation, decide, conflicts)
        : decideAndAppend(remembered, true, correlation, causation, decide, conflicts);
  }

  // remembered: the state was not read from the store just now, so what it decides is checked against the store
  private Future<CommandResult<S>> decideAndAppend(Loaded<S> loaded, boolean remembered, String correlation, String causation,
                                                   Function<Loaded<S>, List<? extends DomainEvent>> decide, int conflicts) {
    String id = loaded.id();
    List<? extends DomainEvent> decided;
    try {
      decided = decide.apply(loaded);
    } catch (RuntimeException e) {
      return remembered ? decideOnFresh(id, correlation, causation, decide, conflicts) : Future.failedFuture(e);
    }
    if (decided == null || decided.isEmpty()) {
      return remembered ? decideOnFresh(id, correlation, causation, decide, conflicts)
          : Future.succeededFuture(new CommandResult<>(loaded, null, List.of()));
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
          recent.put(after);
          return snapshotIfDue(loaded.version(), after).map(v -> new CommandResult<>(after, appended, envelopes));
        })
        .recover(err -> {
          recent.forget(id);   // whatever the store now holds, it is not known here
          if (!(err instanceof ConcurrencyConflictException)) {
            return Future.failedFuture(err);
          }
          if (remembered) {
            return decideOnFresh(id, correlation, causation, decide, conflicts);   // stale here, not a lost race
          }
          return conflicts < options.maxConflictRetries()
              ? attempt(id, correlation, causation, decide, conflicts + 1)
              : Future.failedFuture(err);
        });
  }

  private Future<CommandResult<S>> decideOnFresh(String id, String correlation, String causation,
                                                 Function<Loaded<S>, List<? extends DomainEvent>> decide, int conflicts) {
    return load(id).compose(loaded -> decideAndAppend(loaded, false, correlation, causation, decide, conflicts));
  }

  /**
   * Decides several commands on one aggregate in turn and appends every event they decide in one append: each
   * command sees the state the commands before it left, the stream's version is checked once for the batch, and a
   * hot aggregate costs one round trip per batch instead of one per command. A command that is refused (its
   * {@code decide} throws) fails alone; the others go on. When another writer appended first, the whole batch is
   * decided again on fresh state.
   *
   * @param known the aggregate as this caller last left it, or {@code null} to load it; a stale one only costs a
   *              conflict and a reload
   * @return each command's outcome, in order, and the aggregate after the batch; fails as a whole only when the
   *     append fails (store unavailable, or too many lost races)
   */
  public Future<BatchResult<S>> handleAll(String id, Loaded<S> known, List<BatchCommand<S>> commands) {
    Objects.requireNonNull(id, "id");
    return attemptAll(id, known, List.copyOf(commands), 0);
  }

  private Future<BatchResult<S>> attemptAll(String id, Loaded<S> known, List<BatchCommand<S>> commands, int conflicts) {
    return (known != null ? Future.succeededFuture(known) : load(id)).compose(loaded -> {
      Decided<S> decided = decideAll(id, loaded, commands);
      if (decided.envelopes.isEmpty()) {
        return Future.succeededFuture(decided.outcomes(null));
      }
      return store.append(streamId(id), loaded.version(), decided.envelopes)
          .compose(appended -> {
            recent.put(decided.after);
            return snapshotIfDue(loaded.version(), decided.after).map(v -> decided.outcomes(appended));
          })
          .recover(err -> {
            recent.forget(id);
            return err instanceof ConcurrencyConflictException && conflicts < options.maxConflictRetries()
                ? attemptAll(id, null, commands, conflicts + 1)
                : Future.failedFuture(err);
          });
    });
  }

  private Decided<S> decideAll(String id, Loaded<S> loaded, List<BatchCommand<S>> commands) {
    Decided<S> decided = new Decided<>(loaded);
    for (BatchCommand<S> command : commands) {
      Loaded<S> before = decided.after;
      try {
        List<? extends DomainEvent> events = command.decide().apply(before);
        S state = before.state();
        List<EventEnvelope> envelopes = new ArrayList<>();
        String correlation = command.correlationId() == null ? EventIds.next().toString() : command.correlationId();
        for (DomainEvent event : events == null ? List.<DomainEvent>of() : events) {
          if (!id.equals(event.aggregateId())) {
            throw new IllegalStateException(event.getClass().getSimpleName() + " belongs to aggregate '"
                + event.aggregateId() + "', not to '" + id + "'");
          }
          state = aggregate.apply(state, event);
          envelopes.add(this.events.correlated(correlation, command.causationId(), event));
        }
        decided.accept(new Loaded<>(id, state, before.version() + envelopes.size()), envelopes);
      } catch (RuntimeException e) {
        decided.refuse(before, e);
      }
    }
    return decided;
  }

  /** The decisions of one batch, before its append. */
  private static final class Decided<T> {
    /** One command's decision: the aggregate after it, and its events' place in the batch, or why it was refused. */
    private record Step<T>(Loaded<T> state, int offset, List<EventEnvelope> events, RuntimeException refused) {
    }

    final List<EventEnvelope> envelopes = new ArrayList<>();
    final List<Step<T>> steps = new ArrayList<>();
    Loaded<T> after;

    Decided(Loaded<T> loaded) {
      this.after = loaded;
    }

    void accept(Loaded<T> next, List<EventEnvelope> decided) {
      steps.add(new Step<>(next, envelopes.size(), decided, null));
      envelopes.addAll(decided);
      after = next;
    }

    void refuse(Loaded<T> unchanged, RuntimeException why) {
      steps.add(new Step<>(unchanged, 0, List.of(), why));
    }

    BatchResult<T> outcomes(AppendResult appended) {
      List<Future<CommandResult<T>>> results = new ArrayList<>(steps.size());
      for (Step<T> step : steps) {
        if (step.refused() != null) {
          results.add(Future.failedFuture(step.refused()));
          continue;
        }
        // positions of one append are contiguous, so each command's events keep their own range
        AppendResult own = step.events().isEmpty() ? null : new AppendResult(appended.streamId(), step.state().version(),
            appended.firstPosition() + step.offset(), appended.firstPosition() + step.offset() + step.events().size() - 1);
        results.add(Future.succeededFuture(new CommandResult<>(step.state(), own, step.events())));
      }
      return new BatchResult<>(after, results);
    }
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
