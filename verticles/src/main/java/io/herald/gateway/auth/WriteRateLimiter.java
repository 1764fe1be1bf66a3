package io.herald.gateway.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller for commands: {@code perSecond} writes a second, up to {@code burst} at once. The caller is
 * its bearer token, or its IP address when auth is off. Shared by every gateway instance of a node; buckets left full
 * for a minute are forgotten, so the map holds only the callers of the last minute.
 */
public final class WriteRateLimiter {

  private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long SWEEP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final double perSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private volatile long lastSweep;

  /** @param perSecond writes a second per caller; 0 turns the limit off */
  public WriteRateLimiter(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  WriteRateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
    if (perSecond < 0 || burst < 1) {
      throw new IllegalArgumentException("a write rate limit needs perSecond >= 0 and burst >= 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.lastSweep = nanoTime.getAsLong();
  }

  public boolean enabled() {
    return perSecond > 0;
  }

  public double perSecond() {
    return perSecond;
  }

  /**
   * Takes one write from the caller's bucket.
   *
   * @return 0 when the write may go ahead, otherwise the whole seconds until it may (at least 1)
   */
  public long acquire(String caller) {
    if (!enabled()) {
      return 0;
    }
    long now = nanoTime.getAsLong();
    sweep(now);
    Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(burst, now));
    synchronized (bucket) {
      bucket.refill(now, perSecond, burst);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        bucket.lastUsed = now;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
    }
  }

  private void sweep(long now) {
    if (now - lastSweep < SWEEP_EVERY_NANOS) {
      return;
    }
    lastSweep = now;
    buckets.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        e.getValue().refill(now, perSecond, burst);
        return e.getValue().tokens >= burst && now - e.getValue().lastUsed > IDLE_NANOS;
      }
    });
  }

  /** @return callers with a bucket right now */
  int callers() {
    return buckets.size();
  }

  private static final class Bucket {
    private double tokens;
    private long refilledAt;
    private long lastUsed;

    Bucket(int burst, long now) {
      this.tokens = burst;
      this.refilledAt = now;
      this.lastUsed = now;
    }

    void refill(long now, double perSecond, int burst) {
      tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
      refilledAt = now;
    }
  }
}
