package io.herald.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Waits for the saga of every placed order to finish, then reads the durations from the saga records the node
 * stored ({@code startedAt} to the last {@code updatedAt}), so the figures are the node's, not the client's.
 */
final class SagaProbe {

  private static final Set<String> FINISHED = Set.of("completed", "compensated");
  private static final long POLL_MS = 50;
  private static final long GIVE_UP_MS = 120_000;

  private final Vertx vertx;
  private final ApiClient api;
  private final int concurrency;
  private final Histogram duration = OrderStats.newHistogram();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong compensated = new AtomicLong();
  private final AtomicLong unfinished = new AtomicLong();
  private final AtomicReference<Instant> first = new AtomicReference<>();
  private final AtomicReference<Instant> last = new AtomicReference<>();
  // guarded by this: each finished saga's start (epoch microseconds) and duration (microseconds)
  private long[] starts = new long[1_024];
  private long[] durations = new long[1_024];
  private int recorded;

  SagaProbe(Vertx vertx, ApiClient api, int concurrency) {
    this.vertx = vertx;
    this.api = api;
    this.concurrency = concurrency;
  }

  Future<SagaResult> run(List<String> orderIds) {
    long giveUpAt = System.currentTimeMillis() + GIVE_UP_MS;
    return Parallel.run(orderIds.size(), concurrency, i -> finished(orderIds.get(i), giveUpAt))
        .map(v -> {
          synchronized (this) {
            return new SagaResult(completed.get(), compensated.get(), unfinished.get(),
                first.get() == null ? 0 : Duration.between(first.get(), last.get()).toNanos(), duration,
                startedInLastTwoThirds(starts, durations, recorded));
          }
        });
  }

  private Future<Void> finished(String orderId, long giveUpAt) {
    return api.saga(orderId).compose(response -> {
      JsonObject saga = response.statusCode() == 200 ? response.bodyAsJsonObject() : null;
      if (saga != null && FINISHED.contains(saga.getString("status"))) {
        record(saga);
        return Future.succeededFuture();
      }
      if (System.currentTimeMillis() > giveUpAt) {
        unfinished.incrementAndGet();
        return Future.succeededFuture();
      }
      return vertx.timer(POLL_MS).compose(t -> finished(orderId, giveUpAt));
    });
  }

  private synchronized void record(JsonObject saga) {
    Instant started = Instant.parse(saga.getString("startedAt"));
    Instant ended = Instant.parse(saga.getString("updatedAt"));
    long micros = Math.max(0, Duration.between(started, ended).toNanos() / 1000);
    duration.recordValue(micros);
    if (recorded == starts.length) {
      starts = Arrays.copyOf(starts, 2 * recorded);
      durations = Arrays.copyOf(durations, 2 * recorded);
    }
    starts[recorded] = TimeUnit.SECONDS.toMicros(started.getEpochSecond()) + started.getNano() / 1000;
    durations[recorded] = micros;
    recorded++;
    (saga.getString("status").equals("completed") ? completed : compensated).incrementAndGet();
    first.accumulateAndGet(started, (a, b) -> a == null || b.isBefore(a) ? b : a);
    last.accumulateAndGet(ended, (a, b) -> a == null || b.isAfter(a) ? b : a);
  }

  /** @return the durations of the sagas that started in the last two thirds of the time from the first start to the last */
  static Histogram startedInLastTwoThirds(long[] starts, long[] durations, int count) {
    Histogram warm = OrderStats.newHistogram();
    if (count == 0) {
      return warm;
    }
    long firstStart = Long.MAX_VALUE;
    long lastStart = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      firstStart = Math.min(firstStart, starts[i]);
      lastStart = Math.max(lastStart, starts[i]);
    }
    long cut = firstStart + (lastStart - firstStart) / 3;
    for (int i = 0; i < count; i++) {
      if (starts[i] >= cut) {
        warm.recordValue(durations[i]);
      }
    }
    return warm;
  }
}
