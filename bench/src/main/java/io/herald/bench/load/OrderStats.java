package io.herald.bench.load;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What the order phase has measured so far: over the whole phase, and over the current sampling window, which
 * {@link #takeWindow} closes. Its memory does not grow with the orders (histograms of fixed size, 16 bytes per placed
 * order id), so a long run does not inflate the heap it samples. Written only on the driver's context; the progress
 * counters are volatile so the main thread can draw them, everything else is read on that context or once the phase
 * has finished.
 */
final class OrderStats {

  /** Latencies are recorded in microseconds, up to an hour, to three significant digits. */
  static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

  private final PlacedOrders placed = new PlacedOrders();
  private final Histogram acceptLatency = newHistogram();
  private final Histogram visibleLatency = newHistogram();
  private final Histogram windowVisibleLatency = newHistogram();
  private final Map<String, Long> errors = new TreeMap<>();
  private volatile long done;
  private volatile long failed;
  private volatile long accepted;
  private long visible;
  private long startNanos;
  private long endNanos;
  private long windowStartNanos;
  private long windowDone;
  private long windowFailed;

  static Histogram newHistogram() {
    return new Histogram(HIGHEST_MICROS, 3);
  }

  void started(long nanos) {
    startNanos = nanos;
    windowStartNanos = nanos;
  }

  void finished(long nanos) {
    endNanos = nanos;
  }

  /** A 202 for an order, {@code nanos} after its (scheduled) send. */
  void accepted(long nanos) {
    acceptLatency.recordValue(micros(nanos));
    accepted++;
  }

  /** The order's read answered 200, {@code nanos} after its (scheduled) send: the order is done. */
  void visible(long nanos) {
    long micros = micros(nanos);
    visibleLatency.recordValue(micros);
    windowVisibleLatency.recordValue(micros);
    visible++;
    done++;
    windowDone++;
  }

  /** The order failed at one step; {@code kind} names it, e.g. {@code POST 503}: the order is done. */
  void failed(String kind) {
    errors.merge(kind, 1L, Long::sum);
    failed++;
    done++;
    windowFailed++;
    windowDone++;
  }

  /** @return what finished since the last window closed (or the phase started); starts the next window at {@code nowNanos} */
  OrderWindow takeWindow(long nowNanos) {
    Histogram latency = windowVisibleLatency;
    long count = latency.getTotalCount();
    OrderWindow window = new OrderWindow(nowNanos - startNanos, nowNanos - windowStartNanos, done, windowDone, windowFailed,
        count, count == 0 ? 0 : latency.getValueAtPercentile(50), count == 0 ? 0 : latency.getValueAtPercentile(99));
    latency.reset();
    windowStartNanos = nowNanos;
    windowDone = 0;
    windowFailed = 0;
    return window;
  }

  private static long micros(long nanos) {
    return Math.min(HIGHEST_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
  }

  long done() {
    return done;
  }

  long failedCount() {
    return failed;
  }

  long acceptedCount() {
    return accepted;
  }

  long visibleCount() {
    return visible;
  }

  long elapsedNanos() {
    return endNanos - startNanos;
  }

  Histogram acceptLatency() {
    return acceptLatency;
  }

  Histogram visibleLatency() {
    return visibleLatency;
  }

  Map<String, Long> errors() {
    return errors;
  }

  /** Remembers an accepted order, for the saga probe. */
  void placed(String orderId) {
    placed.add(orderId);
  }

  List<String> placedOrders() {
    return placed.all();
  }
}
