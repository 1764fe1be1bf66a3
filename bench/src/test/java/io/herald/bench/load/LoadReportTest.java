package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("load report")
class LoadReportTest {

  private static final LoadOptions OPTIONS = LoadOptions.parse("--orders", "100", "--concurrency", "8", "--users", "5");

  /** 100 latencies below 2,048 µs, which HdrHistogram keeps exactly: 50 × 1 ms, 40 × 1.5 ms, 9 × 1.9 ms, 1 × 2.047 ms. */
  private static Histogram known() {
    Histogram h = OrderStats.newHistogram();
    h.recordValueWithCount(1_000, 50);
    h.recordValueWithCount(1_500, 40);
    h.recordValueWithCount(1_900, 9);
    h.recordValue(2_047);
    return h;
  }

  private static LoadResult result(LoadOptions options, long accepted, long visible, Map<String, Long> errors) {
    return new LoadResult("in-process node (embedded, profiles default)", "memory", options, accepted, visible, errors,
        TimeUnit.MILLISECONDS.toNanos(250), known(), known(), Optional.empty(), Optional.empty());
  }

  @Test
  @DisplayName("a clean run: every number in its place, percentiles in milliseconds, result OK")
  void clean() {
    LoadResult result = result(OPTIONS, 100, 100, Map.of());

    assertThat(result.ok()).isTrue();
    assertThat(result.acceptedPerSecond()).isEqualTo(400.0);
    assertThat(LoadReport.format(result)).isEqualTo("""
        Herald load report
          target      in-process node (embedded, profiles default)
          store       memory
          orders      100, concurrency 8, unpaced (closed loop, as fast as the concurrency allows)
          users       5
          accepted    100 of 100 in 0.25 s: 400 orders/s
          visible     100 of 100
          errors      none
          latency, ms               p50      p90      p99    p99.9      max
            POST answered 202      1.00     1.50     1.90     2.05     2.05
            order visible          1.00     1.50     1.90     2.05     2.05
          result      OK: every order was accepted and became visible
        """);
  }

  @Test
  @DisplayName("errors are counted by what failed, and the result says how many orders did not make it")
  void errors() {
    LoadResult result = result(OPTIONS, 97, 95, Map.of("POST 503", 3L, "GET 504", 2L));

    assertThat(result.ok()).isFalse();
    assertThat(result.failed()).isEqualTo(5);
    assertThat(LoadReport.format(result))
        .contains("  accepted    97 of 100 in 0.25 s: 388 orders/s\n")
        .contains("  visible     95 of 100\n")
        .contains("  errors      GET 504: 2, POST 503: 3\n")
        .endsWith("  result      FAILED: 5 of 100 orders were not accepted or did not become visible\n");
  }

  @Test
  @DisplayName("a paced run names its rate; an empty histogram shows dashes")
  void pacedAndEmpty() {
    LoadOptions paced = LoadOptions.parse("--orders", "20000", "--rate", "1000");
    LoadResult result = new LoadResult("node at http://127.0.0.1:8080", "postgres", paced, 0, 0, Map.of("POST io: Connection refused", 20_000L),
        TimeUnit.SECONDS.toNanos(20), OrderStats.newHistogram(), OrderStats.newHistogram(), Optional.empty(), Optional.empty());

    assertThat(LoadReport.format(result))
        .contains("  orders      20,000, concurrency 64, rate 1,000 orders/s (open loop, latency from each scheduled send)\n")
        .contains("  errors      POST io: Connection refused: 20,000\n")
        .contains("    POST answered 202         -        -        -        -        -\n");
  }

  @Test
  @DisplayName("latencies of minutes widen the columns instead of running together, and the columns stay aligned")
  void wideLatencies() {
    Histogram minutes = OrderStats.newHistogram();
    minutes.recordValue(TimeUnit.SECONDS.toMicros(165));
    minutes.recordValue(TimeUnit.SECONDS.toMicros(290));
    LoadResult result = new LoadResult("t", "s", OPTIONS, 2, 2, Map.of(), TimeUnit.SECONDS.toNanos(300), minutes, minutes,
        Optional.empty(), Optional.empty());

    List<String> table = LoadReport.format(result).lines().filter(l -> l.startsWith("  latency") || l.startsWith("    ")).toList();

    assertThat(table).hasSize(3);
    assertThat(table.get(1)).matches("    POST answered 202( {2,}\\d{6}\\.\\d{2}){5}");
    assertThat(table.get(0)).hasSameSizeAs(table.get(1)).endsWith("max");
    assertThat(table.get(2)).hasSameSizeAs(table.get(1));
  }

  @Test
  @DisplayName("a timed rebuild shows events, seconds and events/s; one replayed before the first poll is a bound")
  void rebuild() {
    LoadOptions rebuilding = LoadOptions.parse("--orders", "100", "--rebuild");
    LoadResult base = result(rebuilding, 100, 100, Map.of());

    LoadResult seen = base.withRebuild(new RebuildResult("orders", 40_000, TimeUnit.MILLISECONDS.toNanos(800), true));
    LoadResult unseen = base.withRebuild(new RebuildResult("orders", 410, TimeUnit.MILLISECONDS.toNanos(25), false));
    LoadResult failed = base.withRebuildFailure("projection 'orders' failed during the rebuild: boom");

    assertThat(seen.ok()).isTrue();
    assertThat(LoadReport.format(seen)).contains("  rebuild     orders: 40,000 events in 0.800 s: 50,000 events/s\n");
    assertThat(LoadReport.format(unseen)).contains("  rebuild     orders: 410 events in at most 0.025 s: at least 16,400 events/s"
        + " (replayed before the first status poll)\n");
    assertThat(failed.ok()).isFalse();
    assertThat(LoadReport.format(failed))
        .contains("  rebuild     failed: projection 'orders' failed during the rebuild: boom\n")
        .endsWith("  result      FAILED: the rebuild was not timed\n");
  }
}
