package io.herald.store.pg;

import io.herald.event.EventEnvelope;
import io.herald.store.AppendResult;
import io.herald.store.ConcurrencyConflictException;
import io.herald.store.DuplicateEventException;
import io.herald.store.EventStore;
import io.herald.store.EventStoreException;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Group commit: appends that arrive while batches are being written wait and then share the next round trip
 * and commit. Each append still gets its own expected-version check and its own outcome, computed by the
 * {@code append_events} function.
 *
 * <p>A batch is written from the context of the append that starts it (or of the batch before it), so an append
 * that finds a free slot costs one round trip and no hop between threads: the query leaves from the caller's
 * thread and its answer comes back there. The queue and the slots are shared by every caller and guarded by this
 * object's lock, held only to take or give back work, never across a query or a callback. Callers are answered
 * on their own context; appends from outside Vert.x are written from the store's context.
 */
final class AppendBatcher {

  /**
   * Batches in flight at once, on as many connections: their events are written and committed side by side;
   * they take turns only to take a block of positions. Measured best on two cores; more in flight only makes
   * each batch smaller.
   */
  private static final int MAX_IN_FLIGHT = 4;
  /** Upper bound of events in one statement, so a burst of large appends cannot build an unbounded statement. */
  private static final int MAX_EVENTS_PER_BATCH = 10_000;
  private static final String APPEND_SQL =
      "SELECT append_index, stream_version, first_position FROM append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
  /** No channel for {@code append_events} to notify in the transaction: the {@link CommitNotifier} does, after it. */
  private static final String NOTIFY_AFTER_COMMIT = null;
  /** Attempts of an {@link EventStore#ANY_VERSION} append that keeps losing its version to other processes. */
  private static final int RACE_RETRIES = 3;
  private static final Pattern DUPLICATE_ID = Pattern.compile("\\(event_id\\)=\\(([0-9a-f-]{36})\\)");

  private final Context context;
  private final Pool pool;
  private final EventRows rows;
  private final CommitNotifier notifier;
  private final int maxAppends;
  private final String address;
  // guarded by this
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Set<String> streamsInFlight = new HashSet<>();
  private int inFlight;

  AppendBatcher(Vertx vertx, Pool pool, EventRows rows, CommitNotifier notifier, int maxAppends, String address) {
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.rows = rows;
    this.notifier = notifier;
    this.maxAppends = maxAppends;
    this.address = address;
  }

  /** @param data each event's data as the JSON text to store, in the order of {@code events} */
  Future<AppendResult> submit(String streamId, long expectedVersion, List<EventEnvelope> events, List<String> data) {
    Context caller = Vertx.currentContext();
    Pending pending = new Pending(streamId, expectedVersion, events, data, caller);
    List<List<Pending>> ready;
    synchronized (this) {
      queue.add(pending);
      ready = takeReady();
    }
    for (List<Pending> batch : ready) {
      if (caller == null) {
        context.runOnContext(v -> run(batch));
      } else {
        run(batch);
      }
    }
    return pending.promise.future();
  }

  /**
   * Writes a batch from the current context; once it has settled, gives back its slot, tells subscriptions of what
   * committed, answers it, starts what waited.
   */
  private void run(List<Pending> batch) {
    write(batch).onComplete(done -> {
      if (done.failed()) {
        batch.forEach(p -> p.failUnlessSettled(done.cause()));
      }
      List<List<Pending>> ready;
      synchronized (this) {
        inFlight--;
        batch.forEach(p -> streamsInFlight.remove(p.streamId));
        ready = takeReady();
      }
      long last = lastCommitted(batch);
      if (last > 0) {
        notifier.committed(last);
      }
      batch.forEach(Pending::answer);
      ready.forEach(this::run);
    });
  }

  private static long lastCommitted(List<Pending> batch) {
    long last = 0;
    for (Pending p : batch) {
      if (p.result != null) {
        last = Math.max(last, p.result.lastPosition());
      }
    }
    return last;
  }

  // Under the lock. Each batch taken holds a slot and its streams until run() gives them back.
  private List<List<Pending>> takeReady() {
    List<List<Pending>> ready = List.of();
    while (inFlight < MAX_IN_FLIGHT && !queue.isEmpty()) {
      List<Pending> batch = nextBatch();
      if (batch.isEmpty()) {
        break;
      }
      inFlight++;
      batch.forEach(p -> streamsInFlight.add(p.streamId));
      if (ready.isEmpty()) {
        ready = new ArrayList<>(2);
      }
      ready.add(batch);
    }
    return ready;
  }

  // A batch names each stream once, and no stream is in two batches at once: a batch checks versions as the
  // stream was before it, so a second append to a stream waits, in order, for the first one's outcome.
  private List<Pending> nextBatch() {
    List<Pending> batch = new ArrayList<>();
    Set<String> streams = new HashSet<>();
    ArrayDeque<Pending> deferred = new ArrayDeque<>();
    int events = 0;
    while (!queue.isEmpty() && batch.size() < maxAppends) {
      Pending next = queue.peek();
      if (!batch.isEmpty() && events + next.events.size() > MAX_EVENTS_PER_BATCH) {
        break;
      }
      queue.poll();
      if (!streamsInFlight.contains(next.streamId) && streams.add(next.streamId)) {
        batch.add(next);
        events += next.events.size();
      } else {
        deferred.add(next);
      }
    }
    while (!deferred.isEmpty()) {
      queue.addFirst(deferred.pollLast());
    }
    return batch;
  }

  private Future<Void> write(List<Pending> batch) {
    return execute(batch).transform(ar -> {
      if (ar.succeeded()) {
        answer(batch, ar.result());
        return Future.succeededFuture();
      }
      Throwable cause = ar.cause();
      if (batch.size() == 1) {
        return settleAlone(batch.get(0), cause, RACE_RETRIES - 1);
      }
      if (isDataError(cause)) {
        // one append broke a unique key: retry each alone so only that one fails
        return writeOneByOne(batch, 0);
      }
      for (Pending p : batch) {
        p.fail(translate(cause, p));
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> writeOneByOne(List<Pending> batch, int index) {
    if (index == batch.size()) {
      return Future.succeededFuture();
    }
    return writeAlone(batch.get(index), RACE_RETRIES).transform(ar -> writeOneByOne(batch, index + 1));
  }

  private Future<Void> writeAlone(Pending p, int triesLeft) {
    return execute(List.of(p)).transform(ar -> {
      if (ar.succeeded()) {
        answer(List.of(p), ar.result());
        return Future.succeededFuture();
      }
      return settleAlone(p, ar.cause(), triesLeft);
    });
  }

  // Alone, a version key violation means another process stored that version between our check and our insert.
  private Future<Void> settleAlone(Pending p, Throwable cause, int triesLeft) {
    if (!isVersionRace(cause)) {
      p.fail(translate(cause, p));
      return Future.succeededFuture();
    }
    if (p.expectedVersion == EventStore.ANY_VERSION && triesLeft > 1) {
      return writeAlone(p, triesLeft - 1);   // the caller asked for no check: go after the winner
    }
    return currentVersion(p.streamId).transform(version -> {
      p.fail(new ConcurrencyConflictException(p.streamId, p.expectedVersion, version.succeeded() ? version.result() : -1));
      return Future.succeededFuture();
    });
  }

  private Future<Long> currentVersion(String streamId) {
    return pool.preparedQuery("SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1")
        .execute(Tuple.of(streamId))
        .map(rs -> rs.iterator().next().getLong(0));
  }

  private static boolean isVersionRace(Throwable cause) {
    return cause instanceof PgException pg && "23505".equals(pg.getSqlState()) && "events_pkey".equals(pg.getConstraint());
  }

  private Future<RowSet<Row>> execute(List<Pending> batch) {
    int appends = batch.size();
    int total = 0;
    for (Pending p : batch) {
      total += p.events.size();
    }
    String[] streams = new String[appends];
    Long[] expected = new Long[appends];
    Integer[] counts = new Integer[appends];
    Integer[] offsets = new Integer[appends];
    Integer[] eventAppends = new Integer[total];
    UUID[] ids = new UUID[total];
    String[] types = new String[total];
    Integer[] schemaVersions = new Integer[total];
    OffsetDateTime[] times = new OffsetDateTime[total];
    String[] data = new String[total];
    String[] metadata = new String[total];
    int e = 0;
    for (int a = 0; a < appends; a++) {
      Pending p = batch.get(a);
      streams[a] = p.streamId;
      expected[a] = p.expectedVersion;
      counts[a] = p.events.size();
      offsets[a] = e;
      for (int i = 0; i < p.events.size(); i++) {
        EventEnvelope env = p.events.get(i);
        eventAppends[e] = a + 1;
        ids[e] = env.id();
        types[e] = env.type();
        schemaVersions[e] = env.schemaversion();
        times[e] = OffsetDateTime.ofInstant(env.time(), ZoneOffset.UTC);
        data[e] = p.data.get(i);
        metadata[e] = rows.metadata(env);
        e++;
      }
    }
    return pool.preparedQuery(APPEND_SQL)
        .execute(Tuple.of(streams, expected, counts, offsets, eventAppends, ids, types, schemaVersions, times, data, metadata,
            NOTIFY_AFTER_COMMIT));
  }

  private void answer(List<Pending> batch, RowSet<Row> result) {
    for (Row row : result) {
      Pending p = batch.get(row.getInteger(0) - 1);
      long version = row.getLong(1);
      Long first = row.getLong(2);
      if (first == null) {
        p.fail(new ConcurrencyConflictException(p.streamId, p.expectedVersion, version));
      } else {
        p.complete(new AppendResult(p.streamId, version, first, first + p.events.size() - 1));
      }
    }
  }

  private static boolean isDataError(Throwable cause) {
    return cause instanceof PgException pg && pg.getSqlState() != null
        && (pg.getSqlState().startsWith("23") || pg.getSqlState().startsWith("22"));
  }

  private Throwable translate(Throwable cause, Pending p) {
    if (cause instanceof PgException pg) {
      String state = pg.getSqlState();
      if ("23505".equals(state) && "events_event_id_key".equals(pg.getConstraint())) {
        Matcher m = DUPLICATE_ID.matcher(String.valueOf(pg.getDetail()));
        UUID id = m.find() ? UUID.fromString(m.group(1)) : p.events.get(0).id();
        return new DuplicateEventException(id);
      }
      return new EventStoreException("append to stream '" + p.streamId + "' failed: " + pg.getMessage(), pg);
    }
    return new StoreUnavailableException("cannot append to PostgreSQL at " + address + ": " + cause.getMessage(), cause);
  }

  /** One append and, once its batch has settled, its outcome, delivered after the batch has given back its slot. */
  private static final class Pending {
    final String streamId;
    final long expectedVersion;
    final List<EventEnvelope> events;
    final List<String> data;
    final Promise<AppendResult> promise = Promise.promise();
    private final Context caller;
    private AppendResult result;
    private Throwable failure;

    Pending(String streamId, long expectedVersion, List<EventEnvelope> events, List<String> data, Context caller) {
      this.streamId = streamId;
      this.expectedVersion = expectedVersion;
      this.events = events;
      this.data = data;
      this.caller = caller;
    }

    void complete(AppendResult outcome) {
      result = outcome;
    }

    void fail(Throwable cause) {
      failure = cause;
    }

    void failUnlessSettled(Throwable cause) {
      if (result == null && failure == null) {
        failure = new EventStoreException("append to stream '" + streamId + "' failed: " + cause.getMessage(), cause);
      }
    }

    // on the caller's own context: directly when the batch ran there, else with one hop
    void answer() {
      if (caller == null || caller == Vertx.currentContext()) {
        settle();
      } else {
        caller.runOnContext(v -> settle());
      }
    }

    private void settle() {
      if (failure != null) {
        promise.fail(failure);
      } else if (result != null) {
        promise.complete(result);
      } else {
        promise.fail(new EventStoreException("append to stream '" + streamId + "' got no outcome from append_events"));
      }
    }
  }
}
