package io.herald.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Takes a {@link Sample} every period while the orders are placed. A periodic timer on the driver's context closes
 * the order window (counters and a histogram the orders already update: nothing is added to their path), reads the
 * memory figures and asks the node for its lag, one reading per sample. Samples are kept, in order, for the
 * {@code SOAK} summary, and queued for the main thread to print.
 */
final class Sampler {

  private final Vertx vertx;
  private final OrderStats stats;
  private final ProcessMemory memory;
  private final LagProbe lag;
  private final long periodMs;
  private final List<Sample> taken = new ArrayList<>();
  private final Queue<Sample> unprinted = new ConcurrentLinkedQueue<>();
  private Future<Void> previous = Future.succeededFuture();
  private long timer = -1;

  Sampler(Vertx vertx, OrderStats stats, ProcessMemory memory, LagProbe lag, long periodMs) {
    this.vertx = vertx;
    this.stats = stats;
    this.memory = memory;
    this.lag = lag;
    this.periodMs = periodMs;
  }

  /** Starts sampling; call on the driver's context, once the order phase has started. */
  void start() {
    timer = vertx.setPeriodic(periodMs, t -> sample());
  }

  /** @return every sample, once the last one started has been taken; call on the driver's context */
  Future<List<Sample>> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return previous.map(v -> List.copyOf(taken)).onComplete(ar -> lag.close());
  }

  /** @return the next sample not yet printed, or {@code null}; from any thread */
  Sample nextUnprinted() {
    return unprinted.poll();
  }

  private void sample() {
    OrderWindow window = stats.takeWindow(System.nanoTime());
    Future<MemoryFigures> figures = memory.read();
    Future<NodeLag> behind = lag.read();
    Future<Sample> sample = Future.all(figures, behind).map(v -> new Sample(window, figures.result(), behind.result()));
    // a reading may answer after the next one's: samples are kept in the order their windows closed
    previous = previous.transform(ignored -> sample).transform(ar -> {
      if (ar.succeeded()) {
        taken.add(ar.result());
        unprinted.add(ar.result());
      }
      return Future.succeededFuture();
    });
  }
}
