package io.herald.bench.load;

import java.util.concurrent.TimeUnit;

/**
 * The orders that finished in one sampling window of the order phase.
 *
 * @param elapsedNanos  from the start of the order phase to the end of this window
 * @param windowNanos   the window's length
 * @param done          orders finished since the start of the phase, either way
 * @param windowDone    orders finished in this window, either way
 * @param windowFailed  orders that failed in this window
 * @param visibleCount  orders that became visible in this window: how many latencies the percentiles are of
 * @param p50Micros     POST → visible of this window's orders, median; 0 when none became visible
 * @param p99Micros     likewise, 99th percentile
 */
record OrderWindow(long elapsedNanos, long windowNanos, long done, long windowDone, long windowFailed, long visibleCount,
                   long p50Micros, long p99Micros) {

  /** @return orders finished per second in this window */
  double donePerSecond() {
    return windowNanos <= 0 ? 0 : windowDone * (double) TimeUnit.SECONDS.toNanos(1) / windowNanos;
  }
}
