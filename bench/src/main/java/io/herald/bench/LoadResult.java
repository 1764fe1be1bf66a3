package io.herald.bench;

import java.util.Arrays;

/**
 * The outcome of one closed-loop case: every client ran operations back to back for the measured time.
 *
 * @param clients      concurrent clients
 * @param operations   completed operations (appends or transactions)
 * @param rows         events or rows they wrote
 * @param elapsedNanos from the start to the last completion
 * @param latencies    every operation's latency in nanoseconds, sorted
 * @param cpu          CPU used during the measurement
 */
record LoadResult(int clients, long operations, long rows, long elapsedNanos, long[] latencies, CpuSampler.Usage cpu) {

  LoadResult {
    latencies = latencies.clone();
    Arrays.sort(latencies);
  }

  double rowsPerSecond() {
    return rows / (elapsedNanos / 1e9);
  }

  double operationsPerSecond() {
    return operations / (elapsedNanos / 1e9);
  }

  /** @return the latency at quantile {@code q} (nearest rank) in milliseconds */
  double latencyMillis(double q) {
    if (latencies.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * latencies.length);
    return latencies[Math.max(0, Math.min(latencies.length - 1, rank - 1))] / 1e6;
  }
}
