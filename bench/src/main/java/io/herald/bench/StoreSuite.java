package io.herald.bench;

import io.herald.event.EventEnvelope;
import io.herald.store.EventStore;
import io.herald.store.Subscription;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The PostgreSQL cases, all in one fresh schema {@code bench_<random>} that is dropped at the end (also on Ctrl-C):
 * <ol>
 *   <li>preload: the events the read cases read, appended through the store and copied into the raw table;</li>
 *   <li>reads: {@code readAll} paging from position 1 to the head, a {@code subscribe()} catch-up over the same
 *       range, and the same rows read with plain SQL;</li>
 *   <li>appends of 1 and of 10 events from 1 and from N writers, each beside plain {@code INSERT}s of the same
 *       rows from as many clients, plus the raw 8-client cases that the reference points were measured with.</li>
 * </ol>
 * Every writer appends to its own stream with the expected version; all writers of a case run on one event
 * loop as chains of futures.
 */
final class StoreSuite {

  private static final int PAGE_SIZE = 1_000;
  private static final int PRELOAD_WRITERS = 16;
  private static final int PRELOAD_EVENTS_PER_APPEND = 100;
  private static final Pattern OWN_SCHEMA = Pattern.compile("bench_[0-9a-f]{12}");

  private final BenchOptions options;
  private final PgStoreOptions pg;

  StoreSuite(BenchOptions options) {
    this.options = options;
    String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    this.pg = PgStoreOptions.defaults().withSchema(schema).withPoolSize(options.poolSize());
  }

  String schema() {
    return pg.schema();
  }

  void run(Report report) {
    Vertx vertx = Vertx.vertx();
    AtomicBoolean dropped = new AtomicBoolean();
    Thread dropOnExit = new Thread(() -> dropSchema(vertx, dropped), "bench-drop-schema");
    Runtime.getRuntime().addShutdownHook(dropOnExit);
    PgEventStore store = null;
    try {
      log("connecting to PostgreSQL at %s", pg.address());
      store = PgEventStore.connect(vertx, pg, Payloads.REGISTRY).await();
      serverFacts(store.pool(), report);
      // every client of a case runs on this one event loop
      Context loop = vertx.getOrCreateContext();
      RawPostgres raw = new RawPostgres(vertx, pg);
      store.pool().query(raw.ddl()).execute().await();

      preload(store, raw, loop);
      reads(store, raw, loop, report);
      appends(store, raw, loop, report);
    } finally {
      if (store != null) {
        try {
          store.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          System.err.println("could not close the store: " + e.getMessage());
        }
      }
      dropSchema(vertx, dropped);
      try {
        Runtime.getRuntime().removeShutdownHook(dropOnExit);
      } catch (IllegalStateException exiting) {
        // already shutting down; the hook finds the schema dropped
      }
      vertx.close().await();
    }
  }

  private void serverFacts(Pool pool, Report report) {
    Row row = pool.query("SELECT current_setting('server_version'), current_setting('synchronous_commit'),"
        + " current_setting('shared_buffers'), current_setting('wal_sync_method')").execute().await().iterator().next();
    report.fact(String.format("PostgreSQL %s on 127.0.0.1 (synchronous_commit=%s, shared_buffers=%s, wal_sync_method=%s), schema %s (dropped after the run)",
        row.getString(0), row.getString(1), row.getString(2), row.getString(3), pg.schema()));
    report.fact(String.format("Store cases: %d s warm-up + %d s measured per case; Herald pool %d connections, group commit up to %d appends per round trip",
        options.warmupSecs(), options.durationSecs(), pg.poolSize(), pg.appendBatchMax()));
  }

  private void preload(PgEventStore store, RawPostgres raw, Context loop) {
    int total = options.readEvents();
    log("preloading %,d events (%d writers, %d events per append)", total, PRELOAD_WRITERS, PRELOAD_EVENTS_PER_APPEND);
    List<ClosedLoop.Client> writers = new ArrayList<>();
    int each = total / PRELOAD_WRITERS;
    for (int w = 0; w < PRELOAD_WRITERS; w++) {
      int quota = w == 0 ? total - each * (PRELOAD_WRITERS - 1) : each;
      writers.add(new HeraldWriter(store, "pre-" + w, PRELOAD_EVENTS_PER_APPEND, quota));
    }
    LoadResult r = ClosedLoop.run(loop, writers, Long.MAX_VALUE / 4).await();
    log("  preloaded %,d events at %,.0f events/s", r.rows(), r.rowsPerSecond());
    raw.copyFromEvents(store.pool()).await();
    // settle both tables: visibility hints set and statistics fresh, so no case pays for the preload
    store.pool().query("VACUUM ANALYZE " + pg.schema() + ".events, " + pg.schema() + "." + RawPostgres.TABLE).execute().await();
  }

  private void reads(PgEventStore store, RawPostgres raw, Context loop, Report report) {
    long head = store.headPosition().await();
    log("reading %,d events: warm-up pass", head);
    expect(head, onLoop(loop, () -> readAll(store, head)).await(), "readAll warm-up");

    Report.Timed herald = timed(loop, () -> readAll(store, head));
    expect(head, herald.events(), "readAll");
    log("  readAll 1..%,d: %,.0f events/s", head, herald.perSecond());

    Report.Timed catchUp = timed(loop, () -> catchUp(store, head));
    expect(head, catchUp.events(), "subscribe catch-up");
    log("  subscribe() catch-up 1..%,d: %,.0f events/s", head, catchUp.perSecond());

    Pool plain = raw.pool(1);
    try {
      onLoop(loop, () -> raw.readEvents(plain, head, PAGE_SIZE)).await();
      Report.Timed rawRead = timed(loop, () -> raw.readEvents(plain, head, PAGE_SIZE));
      expect(head, rawRead.events(), "raw read");
      log("  raw SELECT 1..%,d: %,.0f rows/s", head, rawRead.perSecond());

      report.read("readAll(1 → head), pages of " + PAGE_SIZE, herald, rawRead, 100_000);
      report.read("subscribe(1) catch-up to head", catchUp, rawRead, 100_000);
      report.readDetail("Herald readAll, pages of " + PAGE_SIZE, herald);
      report.readDetail("Herald subscribe() catch-up", catchUp);
      report.readDetail("raw keyset SELECT of the same rows, pages of " + PAGE_SIZE, rawRead);
    } finally {
      plain.close().await();
    }
  }

  private void appends(PgEventStore store, RawPostgres raw, Context loop, Report report) {
    int n = options.writers();
    LoadResult h1 = herald(store, loop, 1, 1);
    LoadResult r1 = raw(raw, loop, 1, 1);
    LoadResult hN = herald(store, loop, n, 1);
    LoadResult rN = raw(raw, loop, n, 1);
    LoadResult r8 = raw(raw, loop, 8, 1);
    LoadResult h10 = herald(store, loop, 1, 10);
    LoadResult r10 = raw(raw, loop, 1, 10);
    LoadResult h10N = herald(store, loop, n, 10);
    LoadResult r10N = raw(raw, loop, n, 10);
    LoadResult r10x8 = raw(raw, loop, 8, 10);

    report.append("Append 1 event, 1 writer (raw: 1 row/tx, 1 client)", h1, r1, 4_200, Double.NaN);
    report.append("Append 1 event, " + n + " writers (raw: 1 row/tx, " + n + " clients)", hN, rN, Double.NaN, 30_000);
    report.rawOnly("Raw only: 1 row/tx, 8 clients", r8, 12_600);
    report.append("Append 10 events, 1 writer (raw: 10 rows/tx, 1 client)", h10, r10, 25_000, Double.NaN);
    report.append("Append 10 events, " + n + " writers (raw: 10 rows/tx, " + n + " clients)", h10N, r10N, Double.NaN, 45_000);
    report.rawOnly("Raw only: 10 rows/tx, 8 clients", r10x8, 61_000);

    report.loadDetail("Herald append, 1 event", "appends/s", h1);
    report.loadDetail("raw INSERT, 1 row/tx", "tx/s", r1);
    report.loadDetail("Herald append, 1 event", "appends/s", hN);
    report.loadDetail("raw INSERT, 1 row/tx", "tx/s", rN);
    report.loadDetail("raw INSERT, 1 row/tx", "tx/s", r8);
    report.loadDetail("Herald append, 10 events", "appends/s", h10);
    report.loadDetail("raw INSERT, 10 rows/tx", "tx/s", r10);
    report.loadDetail("Herald append, 10 events", "appends/s", h10N);
    report.loadDetail("raw INSERT, 10 rows/tx", "tx/s", r10N);
    report.loadDetail("raw INSERT, 10 rows/tx", "tx/s", r10x8);
  }

  private LoadResult herald(EventStore store, Context loop, int writers, int eventsPerAppend) {
    String tag = "h" + eventsPerAppend + "x" + writers;
    List<ClosedLoop.Client> clients = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      clients.add(new HeraldWriter(store, tag + "-" + w, eventsPerAppend, Long.MAX_VALUE));
    }
    return measure("Herald append, " + eventsPerAppend + " event(s) per append, " + writers + " writer(s)", loop, clients);
  }

  private LoadResult raw(RawPostgres raw, Context loop, int clients, int rowsPerTransaction) {
    Pool pool = raw.pool(clients);
    try {
      String tag = "r" + rowsPerTransaction + "x" + clients;
      List<ClosedLoop.Client> writers = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        String orderId = "ord-" + tag + "-" + c;
        writers.add(raw.writer(pool, "order-" + orderId, Payloads.envelope(orderId), rowsPerTransaction));
      }
      return measure("raw INSERT, " + rowsPerTransaction + " row(s) per transaction, " + clients + " client(s)", loop, writers);
    } finally {
      pool.close().await();
    }
  }

  private LoadResult measure(String name, Context loop, List<ClosedLoop.Client> clients) {
    if (options.warmupSecs() > 0) {
      ClosedLoop.run(loop, clients, TimeUnit.SECONDS.toNanos(options.warmupSecs())).await();
    }
    LoadResult r = ClosedLoop.run(loop, clients, TimeUnit.SECONDS.toNanos(options.durationSecs())).await();
    log("  %-62s %,9.0f events/s %,8.0f ops/s  p50 %6.2f ms  p99 %6.2f ms  cpu jvm %3.0f%% pg %3.0f%% other %3.0f%%",
        name, r.rowsPerSecond(), r.operationsPerSecond(), r.latencyMillis(0.5), r.latencyMillis(0.99),
        r.cpu().jvmPercent(), r.cpu().postgresPercent(), r.cpu().otherPercent());
    return r;
  }

  /** Pages through the global order from position 1 until {@code head}; completes with the number of events. */
  private static Future<Long> readAll(EventStore store, long head) {
    Promise<Long> done = Promise.promise();
    readPage(store, 1, head, 0, done);
    return done.future();
  }

  private static void readPage(EventStore store, long from, long head, long count, Promise<Long> done) {
    store.readAll(from, PAGE_SIZE).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else if (ar.result().isEmpty() || ar.result().next() > head) {
        done.complete(count + ar.result().events().size());
      } else {
        readPage(store, ar.result().next(), head, count + ar.result().events().size(), done);
      }
    });
  }

  /** Subscribes from position 1 and completes with the number of events delivered once {@code head} is reached. */
  private static Future<Long> catchUp(EventStore store, long head) {
    Promise<Long> caughtUp = Promise.promise();
    long[] delivered = {0};
    Subscription subscription = store.subscribe(1, event -> {
      delivered[0]++;
      if (event.position() >= head) {
        caughtUp.tryComplete(delivered[0]);
      }
      return Future.succeededFuture();
    });
    subscription.done().onFailure(caughtUp::tryFail);
    return caughtUp.future().compose(n -> subscription.close().map(n));
  }

  private static Report.Timed timed(Context loop, Supplier<Future<Long>> read) {
    CpuSampler.Snapshot start = CpuSampler.snapshot();
    long events = onLoop(loop, read).await();
    CpuSampler.Snapshot end = CpuSampler.snapshot();
    return new Report.Timed(events, end.nanoTime() - start.nanoTime(), end.since(start));
  }

  private static <T> Future<T> onLoop(Context loop, Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    loop.runOnContext(v -> action.get().onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else {
        result.fail(ar.cause());
      }
    }));
    return result.future();
  }

  private static void expect(long expected, long actual, String what) {
    if (expected != actual) {
      throw new IllegalStateException(what + " returned " + actual + " events, expected " + expected);
    }
  }

  private void dropSchema(Vertx vertx, AtomicBoolean dropped) {
    if (!OWN_SCHEMA.matcher(pg.schema()).matches() || !dropped.compareAndSet(false, true)) {
      return;
    }
    Pool admin = PgBuilder.pool().connectingTo(pg.withSchema("public").connectOptions()).using(vertx).build();
    try {
      admin.query("DROP SCHEMA IF EXISTS " + pg.schema() + " CASCADE").execute().await(30, TimeUnit.SECONDS);
      log("dropped schema %s", pg.schema());
    } catch (Exception e) {
      System.err.println("could not drop schema " + pg.schema() + ": " + e.getMessage());
    } finally {
      admin.close();
    }
  }

  static void log(String format, Object... args) {
    System.out.println(String.format(format, args));
    System.out.flush();
  }

  /** Appends to its own stream, one append after the other, always with the expected version. */
  private static final class HeraldWriter implements ClosedLoop.Client {
    private final EventStore store;
    private final String streamId;
    private final EventEnvelope template;
    private final int eventsPerAppend;
    private long remaining;
    private long version = EventStore.NO_STREAM;

    HeraldWriter(EventStore store, String orderSuffix, int eventsPerAppend, long events) {
      String orderId = "ord-" + orderSuffix;
      this.store = store;
      this.streamId = "order-" + orderId;
      this.template = Payloads.envelope(orderId);
      this.eventsPerAppend = eventsPerAppend;
      this.remaining = events;
    }

    @Override
    public Future<Integer> next() {
      if (remaining <= 0) {
        return null;
      }
      int n = (int) Math.min(eventsPerAppend, remaining);
      remaining -= n;
      List<EventEnvelope> events = Payloads.batch(template, n);
      return store.append(streamId, version, events).map(result -> {
        version = result.nextVersion();
        return n;
      });
    }
  }
}
