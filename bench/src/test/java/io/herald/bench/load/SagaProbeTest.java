package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SagaProbeTest {

  @Test
  @DisplayName("the warm figures hold the sagas that started in the last two thirds of the span of starts, whatever the order")
  void lastTwoThirds() {
    // starts 0..90 s; the cut is at 30 s: the three slow cold sagas before it are left out
    long[] starts = {60_000_000, 0, 10_000_000, 20_000_000, 30_000_000, 90_000_000};
    long[] durations = {4_000, 900_000, 800_000, 700_000, 5_000, 6_000};

    Histogram warm = SagaProbe.startedInLastTwoThirds(starts, durations, starts.length);

    assertThat(warm.getTotalCount()).isEqualTo(3);
    assertThat(warm.getMaxValue()).isBetween(6_000L, 6_010L);
    assertThat(warm.getMinValue()).isBetween(4_000L, 4_010L);
    assertThat(SagaProbe.startedInLastTwoThirds(starts, durations, 0).getTotalCount()).isZero();
  }
}
