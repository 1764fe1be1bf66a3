package io.herald.bench.load;

import org.HdrHistogram.Histogram;

/**
 * The sagas of a load run, read from their stored records once each had finished.
 *
 * @param completed     sagas that shipped their order
 * @param compensated   sagas that cancelled their order
 * @param unfinished    sagas not finished when the probe gave up
 * @param spanNanos     from the first saga's start to the last saga's end
 * @param duration      microseconds from each saga's start to its end, as stored
 * @param warm          the same, for the sagas that started in the last two thirds of the time over which sagas
 *                      started: the run without its cold start (a fresh JVM compiles its hot code in the first
 *                      minute), as the {@code SOAK} line compares the thirds of the samples
 */
public record SagaResult(long completed, long compensated, long unfinished, long spanNanos, Histogram duration,
                         Histogram warm) {

  /** @return finished sagas per second, from the first start to the last end */
  public double perSecond() {
    return spanNanos <= 0 ? 0 : (completed + compensated) * 1e9 / spanNanos;
  }
}
