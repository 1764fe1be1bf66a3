package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("load RESULT line")
class ResultLineTest {

  private static final LoadOptions OPTIONS = LoadOptions.parse("--orders", "100", "--concurrency", "8");
  /** name=number pairs after RESULT, numbers in plain notation with a dot: what a script splits on. */
  private static final String FORMAT = "RESULT( [a-z0-9_]+=\\d+\\.\\d+)+";

  /** 50 × 1 ms, 49 × 1.5 ms, 1 × 2.047 ms, exact in HdrHistogram: p50 1.00, p99 1.50. */
  private static Histogram visible() {
    Histogram h = OrderStats.newHistogram();
    h.recordValueWithCount(1_000, 50);
    h.recordValueWithCount(1_500, 49);
    h.recordValue(2_047);
    return h;
  }

  private static LoadResult orders(Histogram visible) {
    return new LoadResult("t", "memory", OPTIONS, 100, visible.getTotalCount(), Map.of(), TimeUnit.MILLISECONDS.toNanos(250),
        OrderStats.newHistogram(), visible, Optional.empty(), Optional.empty());
  }

  @Test
  @DisplayName("orders only: throughput and POST → visible p50/p99, no saga fields")
  void ordersOnly() {
    String line = ResultLine.format(orders(visible()));

    assertThat(line).isEqualTo("RESULT orders_per_s=400.0 p50_ms=1.00 p99_ms=1.50").matches(FORMAT);
  }

  @Test
  @DisplayName("with sagas: their rate and p99 follow, in the documented order")
  void withSagas() {
    Histogram durations = OrderStats.newHistogram();
    durations.recordValueWithCount(2_000, 99);
    durations.recordValue(1_900_000);
    SagaResult sagas = new SagaResult(80, 20, 0, TimeUnit.MILLISECONDS.toNanos(500), durations, durations);

    String line = ResultLine.format(orders(visible()).withSagas(sagas));

    assertThat(line).isEqualTo("RESULT orders_per_s=400.0 p50_ms=1.00 p99_ms=1.50 sagas_per_s=200.0 saga_p99_ms=2.00")
        .matches(FORMAT);
  }

  @Test
  @DisplayName("what a run did not measure is left out, never printed as zero or a dash")
  void unmeasuredLeftOut() {
    SagaResult none = new SagaResult(0, 0, 5, 0, OrderStats.newHistogram(), OrderStats.newHistogram());

    String line = ResultLine.format(orders(OrderStats.newHistogram()).withSagas(none));

    assertThat(line).isEqualTo("RESULT orders_per_s=400.0").matches(FORMAT);
  }
}
