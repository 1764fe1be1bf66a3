package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("load SAMPLE line")
class SampleLineTest {

  private static final long MB = 1024 * 1024;
  /** name=number pairs after SAMPLE: what a script splits on. */
  private static final String FORMAT = "SAMPLE( [a-z0-9_]+=\\d+(\\.\\d+)?)+";

  @Test
  @DisplayName("every field, in the documented order: the window's rate, percentiles and failures, memory in MiB, lags")
  void everyField() {
    OrderWindow window = new OrderWindow(TimeUnit.MILLISECONDS.toNanos(30_004), TimeUnit.SECONDS.toNanos(10), 3_001, 1_000, 2,
        998, 1_500, 12_346);
    MemoryFigures memory = new MemoryFigures(OptionalLong.of(120 * MB + MB / 2), OptionalLong.of(4), 333 * MB,
        OptionalLong.of(512 * MB));

    String line = SampleLine.format(new Sample(window, memory, new NodeLag(OptionalLong.of(17), OptionalLong.of(3), Optional.empty())));

    assertThat(line).isEqualTo("SAMPLE t_s=30 orders=3001 orders_per_s=100.0 p50_ms=1.50 p99_ms=12.35 failed=2"
        + " heap_used_mb=120.5 old_gcs=4 heap_mb=333.0 rss_mb=512.0 lag=17 relay_lag=3").matches(FORMAT);
  }

  @Test
  @DisplayName("what the sample did not get is left out: no order visible, no old-generation collection yet, no lags")
  void unmeasuredLeftOut() {
    OrderWindow window = new OrderWindow(TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(10), 5, 5, 5, 0, 0, 0);
    MemoryFigures memory = new MemoryFigures(OptionalLong.empty(), OptionalLong.empty(), 64 * MB, OptionalLong.empty());

    String line = SampleLine.format(new Sample(window, memory,
        new NodeLag(OptionalLong.empty(), OptionalLong.empty(), Optional.of("GET /api/admin/projections answered 403: no"))));

    assertThat(line).isEqualTo("SAMPLE t_s=10 orders=5 orders_per_s=0.5 failed=5 heap_mb=64.0").matches(FORMAT);
  }
}
