package io.herald.async;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": attempt {@code n} waits between half and all of
 * {@code min(cap, base * 2^(n-1))} milliseconds, so retries spread out but never fire immediately.
 * Immutable and thread-safe.
 */
public final class Backoff {

  private final long baseMs;
  private final long capMs;

  /**
   * @param baseMs the delay before the first retry (at most), in milliseconds; at least 1
   * @param capMs  the largest delay, in milliseconds; at least {@code baseMs}
   */
  public Backoff(long baseMs, long capMs) {
    if (baseMs < 1) {
      throw new IllegalArgumentException("backoff base must be >= 1 ms, was " + baseMs);
    }
    if (capMs < baseMs) {
      throw new IllegalArgumentException("backoff cap (" + capMs + " ms) must be >= its base (" + baseMs + " ms)");
    }
    this.baseMs = baseMs;
    this.capMs = capMs;
  }

  /**
   * @param attempt the failed attempt, starting at 1
   * @return how long to wait before the next attempt, in milliseconds, within [ceiling / 2, ceiling]
   */
  public long delayMs(int attempt) {
    long ceiling = ceilingMs(attempt);
    long half = ceiling / 2;
    return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
  }

  /** @return the un-jittered delay of an attempt, in milliseconds: {@code min(cap, base * 2^(attempt-1))} */
  public long ceilingMs(int attempt) {
    int doublings = Math.max(0, attempt - 1);
    if (doublings >= Long.numberOfLeadingZeros(baseMs) - 1) {
      return capMs;
    }
    return Math.min(capMs, baseMs << doublings);
  }

  public long baseMs() {
    return baseMs;
  }

  public long capMs() {
    return capMs;
  }
}
