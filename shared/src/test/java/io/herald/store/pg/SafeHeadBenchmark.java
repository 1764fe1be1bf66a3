package io.herald.store.pg;

import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.herald.store.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What reads cost the writers and the subscriptions: W writers append one event at a time to streams of their own
 * while S subscriptions follow the log live and a probe calls {@code safe_head()} in a loop. Prints figures; asserts
 * nothing. Run from {@code shared/} after {@code mvn -o -q test-compile}:
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) io.herald.store.pg.SafeHeadBenchmark [writers] [subscriptions] [seconds]</pre>
 * It uses a fresh schema in the {@code test} database and drops it at the end.
 */
public final class SafeHeadBenchmark {

  private static final int SERVER_CALLS = 2_000;

  private SafeHeadBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int writers = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int subscriptions = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int warmup = Math.max(3, seconds / 4);
    FreshSchema schema = new FreshSchema("bench_head");
    Vertx vertx = Vertx.vertx();
    PgEventStore store = schema.connect(vertx, BlueprintEvents.registry());
    Pool probePool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(schema.options().connectOptions()).using(vertx).build();
    EventFactory events = new EventFactory(BlueprintEvents.registry(), "/herald/bench");
    try {
      Map<UUID, Long> submitted = new ConcurrentHashMap<>();
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong appended = new AtomicLong();
      AtomicLong delivered = new AtomicLong();
      Histogram delivery = new Histogram();
      Histogram append = new Histogram();
      Histogram probe = new Histogram();

      long start = store.headPosition().await() + 1;
      List<Subscription> subs = new ArrayList<>();
      for (int s = 0; s < subscriptions; s++) {
        subs.add(store.subscribe(start, e -> {
          Long sent = submitted.get(e.envelope().id());
          if (measuring.get() && sent != null) {
            delivered.incrementAndGet();
            delivery.add(System.nanoTime() - sent);
          }
          return Future.succeededFuture();
        }));
      }
      List<Future<Void>> loops = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Promise<Void> done = Promise.promise();
        String stream = "bench-" + w + "-" + UUID.randomUUID();
        vertx.runOnContext(v -> appendNext(store, events, stream, 0, running, measuring, submitted, append, appended, done));
        loops.add(done.future());
      }
      AtomicLong probes = new AtomicLong();
      Promise<Void> probeDone = Promise.promise();
      vertx.runOnContext(v -> probeNext(probePool, running, measuring, probe, probes, probeDone));
      Future<Void> probeLoop = probeDone.future();

      Thread.sleep(warmup * 1_000L);
      measuring.set(true);
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1_000L);
      measuring.set(false);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      // the server's own time per call, without round trips, while the writers and subscriptions still run
      double[] serverUs = new double[3];
      for (int i = 0; i < serverUs.length; i++) {
        long s0 = System.nanoTime();
        probePool.query("SELECT count(safe_head()) FROM generate_series(1, " + SERVER_CALLS + ")").execute().await(60, TimeUnit.SECONDS);
        serverUs[i] = (System.nanoTime() - s0) / 1e3 / SERVER_CALLS;
      }
      running.set(false);
      Future.all(loops).await(60, TimeUnit.SECONDS);
      probeLoop.await(60, TimeUnit.SECONDS);
      for (Subscription sub : subs) {
        sub.close().await(30, TimeUnit.SECONDS);
      }

      System.out.printf("safe_head benchmark: %d writers (1 event per append), %d live subscriptions, %d s measured%n",
          writers, subscriptions, seconds);
      System.out.printf("  appends        %8.0f /s   latency p50 %6.2f ms  p99 %7.2f ms%n",
          appended.get() / elapsed, append.percentileMs(50), append.percentileMs(99));
      System.out.printf("  deliveries     %8.0f /s   (all subscriptions)  append->delivery p50 %6.2f ms  p99 %7.2f ms%n",
          delivered.get() / elapsed, delivery.percentileMs(50), delivery.percentileMs(99));
      System.out.printf("  safe_head()    %8.0f /s   (one probe session)  latency p50 %6.3f ms  p99 %7.3f ms%n",
          probes.get() / elapsed, probe.percentileMs(50), probe.percentileMs(99));
      Arrays.sort(serverUs);
      System.out.printf("  safe_head() server time per call, %d calls in one statement: median of 3 runs %.1f us%n",
          SERVER_CALLS, serverUs[1]);
    } finally {
      probePool.close().await(30, TimeUnit.SECONDS);
      store.close().await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
      schema.drop();
    }
  }

  // one writer: its appends one after the other, as a chain of futures on the event loop
  private static void appendNext(PgEventStore store, EventFactory events, String stream, long version, AtomicBoolean running,
                                 AtomicBoolean measuring, Map<UUID, Long> submitted, Histogram append, AtomicLong appended,
                                 Promise<Void> done) {
    if (!running.get()) {
      done.complete();
      return;
    }
    EventEnvelope event = events.create(new UserRegistered("u" + version, "u@example.org", "u"));
    long t0 = System.nanoTime();
    submitted.put(event.id(), t0);
    store.append(stream, version, List.of(event)).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      if (measuring.get()) {
        append.add(System.nanoTime() - t0);
        appended.incrementAndGet();
      }
      appendNext(store, events, stream, version + 1, running, measuring, submitted, append, appended, done);
    });
  }

  private static void probeNext(Pool pool, AtomicBoolean running, AtomicBoolean measuring, Histogram probe, AtomicLong probes,
                                Promise<Void> done) {
    if (!running.get()) {
      done.complete();
      return;
    }
    long t0 = System.nanoTime();
    pool.query("SELECT safe_head()").execute().onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      if (measuring.get()) {
        probe.add(System.nanoTime() - t0);
        probes.incrementAndGet();
      }
      probeNext(pool, running, measuring, probe, probes, done);
    });
  }

  /** Nanosecond samples, kept whole: a benchmark run holds at most a few million. */
  private static final class Histogram {
    private long[] samples = new long[1 << 16];
    private int size;

    synchronized void add(long nanos) {
      if (size == samples.length) {
        samples = Arrays.copyOf(samples, size * 2);
      }
      samples[size++] = nanos;
    }

    synchronized double percentileMs(int p) {
      if (size == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(samples, size);
      Arrays.sort(sorted);
      return sorted[Math.min(size - 1, (int) Math.ceil(p / 100.0 * size) - 1)] / 1e6;
    }
  }
}
