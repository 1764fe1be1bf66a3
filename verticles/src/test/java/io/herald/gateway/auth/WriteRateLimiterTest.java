package io.herald.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Write rate limiter")
class WriteRateLimiterTest {

  private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));

  private void advanceMs(long ms) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  @Test
  @DisplayName("a caller gets its burst at once, then the rate; the wait it is told is the time to the next write")
  void burstThenRate() {
    WriteRateLimiter limiter = new WriteRateLimiter(2, 3, now::get);

    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isEqualTo(1);
    assertThat(limiter.acquire("b")).as("another caller has its own bucket").isZero();

    advanceMs(500);
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isEqualTo(1);
    advanceMs(5_000);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("a")).as("refilled up to the burst, no more").isZero();
    }
    assertThat(limiter.acquire("a")).isEqualTo(1);
  }

  @Test
  @DisplayName("a slow rate tells the whole seconds to wait; 0 turns the limit off")
  void waitsAndOff() {
    WriteRateLimiter slow = new WriteRateLimiter(0.2, 1, now::get);
    assertThat(slow.acquire("a")).isZero();
    assertThat(slow.acquire("a")).isEqualTo(5);

    WriteRateLimiter off = new WriteRateLimiter(0, 1, now::get);
    for (int i = 0; i < 10_000; i++) {
      assertThat(off.acquire("a")).isZero();
    }
    assertThat(off.callers()).isZero();
  }

  @Test
  @DisplayName("callers idle for a minute are forgotten, so the buckets do not grow without bound")
  void forgetsIdleCallers() {
    WriteRateLimiter limiter = new WriteRateLimiter(100, 10, now::get);
    for (int i = 0; i < 1_000; i++) {
      limiter.acquire("caller-" + i);
    }
    assertThat(limiter.callers()).isEqualTo(1_000);

    advanceMs(61_000);
    limiter.acquire("fresh");

    assertThat(limiter.callers()).isEqualTo(1);
  }
}
