package io.herald.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
@DisplayName("Backoff")
class BackoffTest {

  @Test
  @DisplayName("the ceiling doubles per attempt up to the cap")
  void ceilingDoublesUpToCap() {
    Backoff backoff = new Backoff(100, 1_000);

    assertThat(backoff.ceilingMs(1)).isEqualTo(100);
    assertThat(backoff.ceilingMs(2)).isEqualTo(200);
    assertThat(backoff.ceilingMs(4)).isEqualTo(800);
    assertThat(backoff.ceilingMs(5)).isEqualTo(1_000);
    assertThat(backoff.ceilingMs(500)).isEqualTo(1_000);
    assertThat(backoff.ceilingMs(Integer.MAX_VALUE)).isEqualTo(1_000);
  }

  @Test
  @DisplayName("jittered delays stay between half the ceiling and the ceiling, and vary")
  void jitterStaysInRange() {
    Backoff backoff = new Backoff(100, 1_000);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      long delay = backoff.delayMs(3);
      assertThat(delay).isBetween(200L, 400L);
      seen.add(delay);
    }
    assertThat(seen).hasSizeGreaterThan(10);
  }

  @Test
  @DisplayName("a base below 1 ms or a cap below the base is refused")
  void invalidSettings() {
    assertThatThrownBy(() -> new Backoff(0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(100, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
