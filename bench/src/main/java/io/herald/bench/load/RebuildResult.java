package io.herald.bench.load;

import java.util.concurrent.TimeUnit;

/**
 * A timed rebuild of a projection.
 *
 * @param projection   its name
 * @param events       events replayed: its checkpoint once live again
 * @param elapsedNanos from sending the rebuild request to the first status showing it live again
 * @param observed     false when the replay had already finished by the first status poll, so the time is an
 *                     upper bound (and the rate a lower bound)
 */
record RebuildResult(String projection, long events, long elapsedNanos, boolean observed) {

  double eventsPerSecond() {
    return elapsedNanos <= 0 ? 0 : events * (double) TimeUnit.SECONDS.toNanos(1) / elapsedNanos;
  }
}
