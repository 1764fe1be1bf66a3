package io.herald.store.pg;

import io.herald.event.EventEnvelope;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.herald.store.AppendRequest;
import io.herald.store.AppendResult;
import io.herald.store.CheckpointStore;
import io.herald.store.EventPage;
import io.herald.store.EventSizeLimit;
import io.herald.store.EventStore;
import io.herald.store.EventTooLargeException;
import io.herald.store.PageHandler;
import io.herald.store.Snapshot;
import io.herald.store.StoreUnavailableException;
import io.herald.store.StreamHistory;
import io.herald.store.Subscription;
import io.herald.store.SubscriptionHandler;
import io.herald.store.SubscriptionHub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event store on PostgreSQL, through the non-blocking {@code vertx-pg-client}.
 *
 * <p>Appends go through {@code append_events}: concurrent appends share a round trip and a commit (group
 * commit) while each keeps its own expected-version check. Positions are handed out in blocks that stay
 * announced until their transaction has finished, and reads stop below the lowest block still in flight
 * ({@code safe_head()}: a walk from the last settled position to the first block it cannot see, and one probe of
 * that block's lock), so a reader never skips an event that commits late with a lower position, while commits
 * themselves run side by side. That needs READ COMMITTED, which every connection of the store pins whatever the
 * database's default. A commit wakes this store's subscriptions in process and the other nodes' with a
 * {@code NOTIFY} sent after it ({@link CommitNotifier}); a wake-up only makes subscriptions read the table, and a
 * missed notification costs one poll interval.
 */
public final class PgEventStore implements EventStore {

  private static final Logger log = LoggerFactory.getLogger(PgEventStore.class);
  /**
   * A stream's usable snapshot (in the event columns the snapshot has: version, time, state) and the events after
   * it, told apart by the last column; the snapshot sorts first.
   */
  private static final String LOAD_STREAM_SQL = "WITH s AS (SELECT version, state, taken_at FROM snapshots"
      + " WHERE stream_id = $1 AND state_type = $2)"
      + " SELECT NULL::bigint AS position, NULL::text AS stream_id, s.version, NULL::uuid AS event_id, NULL::text AS type,"
      + " NULL::integer AS schema_version, s.taken_at, s.state::text, NULL::text AS metadata, true AS is_snapshot FROM s"
      + " UNION ALL SELECT " + EventRows.COLUMNS + ", false" + EventRows.FROM
      + " WHERE e.stream_id = $1 AND e.version > coalesce((SELECT s.version FROM s), 0)"
      + " ORDER BY 10 DESC, 3";

  private final Vertx vertx;
  private final EventSizeLimit sizeLimit;
  private final PgStoreOptions options;
  private final Pool pool;
  private final EventRows rows;
  private final SubscriptionHub subscriptions = new SubscriptionHub(this);
  private final CommitNotifier notifier;
  private final AppendBatcher batcher;
  private final PgCheckpointStore checkpoints;
  private volatile PgSubscriber listener;

  private PgEventStore(Vertx vertx, PgStoreOptions options, Pool pool, EventRegistry registry, EventSizeLimit sizeLimit) {
    this.vertx = vertx;
    this.sizeLimit = sizeLimit;
    this.options = options;
    this.pool = pool;
    // the last eight store pages (two of a read model's, at the defaults): subscriptions that far apart share the
    // decoding of what they read
    this.rows = new EventRows(registry, new RecentEvents(8 * options.readBatchSize()));
    this.notifier = new CommitNotifier(subscriptions, channel(options), () -> listener == null ? null : listener.actualConnection());
    this.batcher = new AppendBatcher(vertx, pool, rows, notifier, options.appendBatchMax(), options.address());
    this.checkpoints = new PgCheckpointStore(pool, options.address());
  }

  /**
   * Connects, creates or migrates the schema, and starts listening for commits.
   *
   * @return the ready store; fails with a {@link StoreUnavailableException} whose message names the address
   *     ({@code cannot reach PostgreSQL at 127.0.0.1:5432/test (schema herald): Connection refused})
   */
  public static Future<PgEventStore> connect(Vertx vertx, PgStoreOptions options, EventRegistry registry) {
    return connect(vertx, options, registry, EventSizeLimit.DEFAULT);
  }

  /** As above; an append with an event over {@code sizeLimit} fails with {@link EventTooLargeException}. */
  public static Future<PgEventStore> connect(Vertx vertx, PgStoreOptions options, EventRegistry registry,
                                             EventSizeLimit sizeLimit) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(sizeLimit, "sizeLimit");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(registry, "registry");
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(options.poolSize()).setName("herald-store-" + options.schema()).setShared(false))
        .connectingTo(options.connectOptions())
        .using(vertx)
        .build();
    PgEventStore store = new PgEventStore(vertx, options, pool, registry, sizeLimit);
    return new SchemaMigrator(vertx, pool, options.schema()).migrate()
        .compose(applied -> store.listen())
        .map(v -> store)
        .recover(err -> pool.close().transform(closed -> Future.failedFuture(new StoreUnavailableException(
            "cannot reach PostgreSQL at " + options.address() + ": " + reason(err), err))));
  }

  /** @return checkpoints stored in the same database and schema */
  @Override
  public CheckpointStore checkpoints() {
    return checkpoints;
  }

  /** @return the connection pool, for components that keep their own tables beside the events (same schema) */
  public Pool pool() {
    return pool;
  }

  public PgStoreOptions options() {
    return options;
  }

  @Override
  public Future<AppendResult> append(String streamId, long expectedVersion, List<EventEnvelope> events) {
    IllegalArgumentException invalid = AppendRequest.problem(streamId, expectedVersion, events);
    if (invalid != null) {
      return Future.failedFuture(invalid);
    }
    // encoded once, here on the caller's thread: measured against the limit, then written as it is
    List<String> data = events.stream().map(rows::data).toList();
    EventTooLargeException tooLarge = sizeLimit.check(streamId, events, data);
    if (tooLarge != null) {
      return Future.failedFuture(tooLarge);
    }
    return batcher.submit(streamId, expectedVersion, List.copyOf(events), data);
  }

  @Override
  public Future<List<RecordedEvent>> readStream(String streamId, long fromVersion) {
    return pool.preparedQuery("SELECT " + EventRows.COLUMNS + EventRows.FROM
        + " WHERE e.stream_id = $1 AND e.version >= $2 ORDER BY e.version")
        .execute(Tuple.of(streamId, fromVersion))
        .recover(this::unavailable)
        .map(this::decodeAll);
  }

  @Override
  public Future<EventPage> readAll(long fromPosition, int limit) {
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("limit must be >= 1, was " + limit));
    }
    long from = Math.max(fromPosition, 1);
    return pool.preparedQuery("SELECT * FROM read_all($1, $2)")
        .execute(Tuple.of(from, limit))
        .recover(this::unavailable)
        .map(rs -> {
          List<RecordedEvent> events = decodeAll(rs);
          long next = events.isEmpty() ? from : events.get(events.size() - 1).position() + 1;
          return new EventPage(events, next);
        });
  }

  @Override
  public Future<Long> headPosition() {
    return pool.query("SELECT safe_head()").execute()
        .recover(this::unavailable)
        .map(rs -> rs.iterator().next().getLong(0));
  }

  @Override
  public Subscription subscribe(long fromPosition, SubscriptionHandler handler) {
    return subscriptions.start(vertx, fromPosition, handler, options.readBatchSize(), options.pollIntervalMs());
  }

  @Override
  public Subscription subscribePages(long fromPosition, PageHandler handler) {
    return subscribePages(fromPosition, options.readBatchSize(), handler);
  }

  @Override
  public Subscription subscribePages(long fromPosition, int pageSize, PageHandler handler) {
    return subscriptions.startPages(vertx, fromPosition, handler, pageSize, options.pollIntervalMs());
  }

  @Override
  public Future<Void> saveSnapshot(Snapshot snapshot) {
    return pool.preparedQuery("INSERT INTO snapshots (stream_id, version, state_type, state, taken_at) VALUES ($1, $2, $3, $4, $5)"
            + " ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, state_type = EXCLUDED.state_type,"
            + " state = EXCLUDED.state, taken_at = EXCLUDED.taken_at WHERE snapshots.version <= EXCLUDED.version")
        .execute(Tuple.of(snapshot.streamId(), snapshot.version(), snapshot.stateType(), snapshot.state(),
            OffsetDateTime.ofInstant(snapshot.takenAt(), ZoneOffset.UTC)))
        .recover(this::unavailable)
        .mapEmpty();
  }

  @Override
  public Future<Optional<Snapshot>> loadSnapshot(String streamId) {
    return pool.preparedQuery("SELECT version, state_type, state, taken_at FROM snapshots WHERE stream_id = $1")
        .execute(Tuple.of(streamId))
        .recover(this::unavailable)
        .map(rs -> {
          if (rs.size() == 0) {
            return Optional.empty();
          }
          Row row = rs.iterator().next();
          return Optional.of(new Snapshot(streamId, row.getLong(0), row.getString(1), (JsonObject) row.getValue(2),
              row.getOffsetDateTime(3).toInstant()));
        });
  }

  /** One round trip: the usable snapshot, if any, comes as the first row, the events after it as the rest. */
  @Override
  public Future<StreamHistory> loadStream(String streamId, String snapshotType) {
    return pool.preparedQuery(LOAD_STREAM_SQL)
        .execute(Tuple.of(streamId, snapshotType))
        .recover(this::unavailable)
        .map(rs -> {
          Optional<Snapshot> snapshot = Optional.empty();
          List<RecordedEvent> events = new ArrayList<>(rs.size());
          for (Row row : rs) {
            if (row.getBoolean(9)) {
              snapshot = Optional.of(new Snapshot(streamId, row.getLong(2), snapshotType, new JsonObject(row.getString(7)),
                  row.getOffsetDateTime(6).toInstant()));
            } else {
              events.add(rows.decode(row));
            }
          }
          return new StreamHistory(snapshot, events);
        });
  }

  @Override
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().recover(this::unavailable).mapEmpty();
  }

  @Override
  public String describe() {
    return "postgres " + options.address();
  }

  @Override
  public Future<Void> close() {
    return subscriptions.closeAll()
        .eventually(() -> listener == null ? Future.succeededFuture() : listener.close())
        .eventually(pool::close);
  }

  private List<RecordedEvent> decodeAll(RowSet<Row> rs) {
    List<RecordedEvent> events = new ArrayList<>(rs.size());
    for (Row row : rs) {
      events.add(rows.decode(row));
    }
    return events;
  }

  private Future<Void> listen() {
    listener = PgSubscriber.subscriber(vertx, options.connectOptions())
        .reconnectPolicy(retries -> 1_000L);   // keep trying; subscriptions poll meanwhile
    PgChannel channel = listener.channel(channel(options));
    // (re)subscribed: commits may have been missed while disconnected, so every subscription reads again
    channel.subscribeHandler(v -> subscriptions.wakeAll());
    channel.handler(payload -> {
      if (!notifier.isOwn(payload)) {
        subscriptions.wakeAll();   // this store's own commits woke its subscriptions already
      }
    });
    listener.closeHandler(v -> log.debug("commit listener for schema {} disconnected", options.schema()));
    return listener.connect();
  }

  // the server answered with an error: pass it on; anything else means the store could not be reached
  private <T> Future<T> unavailable(Throwable err) {
    if (err instanceof PgException) {
      return Future.failedFuture(err);
    }
    return Future.failedFuture(new StoreUnavailableException("PostgreSQL at " + options.address() + " is unavailable: " + reason(err), err));
  }

  private static String channel(PgStoreOptions options) {
    return options.schema() + "_events";
  }

  private static String reason(Throwable err) {
    Throwable root = err;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replace('\n', ' ');
  }
}
