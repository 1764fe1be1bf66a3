package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("order statistics")
class OrderStatsTest {

  private static final long START = TimeUnit.SECONDS.toNanos(1_000);

  private static void visible(OrderStats stats, long micros, int times) {
    for (int i = 0; i < times; i++) {
      stats.visible(TimeUnit.MICROSECONDS.toNanos(micros));
    }
  }

  @Test
  @DisplayName("a window's p50 and p99 are of the orders finished in it alone, so a change between windows shows")
  void windowPercentiles() {
    OrderStats stats = new OrderStats();
    stats.started(START);
    visible(stats, 1_900, 100);
    OrderWindow slow = stats.takeWindow(START + TimeUnit.SECONDS.toNanos(10));

    visible(stats, 1_000, 99);
    visible(stats, 1_500, 1);
    OrderWindow fast = stats.takeWindow(START + TimeUnit.SECONDS.toNanos(20));

    assertThat(slow.p50Micros()).isEqualTo(1_900);
    assertThat(slow.p99Micros()).isEqualTo(1_900);
    assertThat(slow.visibleCount()).isEqualTo(100);
    assertThat(fast.p50Micros()).isEqualTo(1_000);
    assertThat(fast.p99Micros()).isEqualTo(1_000);
    assertThat(fast.visibleCount()).isEqualTo(100);
    // over the whole phase the first window's slowness would still decide both percentiles
    assertThat(stats.visibleLatency().getTotalCount()).isEqualTo(200);
    assertThat(stats.visibleLatency().getValueAtPercentile(50)).isEqualTo(1_500);
    assertThat(stats.visibleLatency().getValueAtPercentile(99)).isEqualTo(1_900);
  }

  @Test
  @DisplayName("a window counts the orders finished and failed in it, and its rate is over its own length")
  void windowCounts() {
    OrderStats stats = new OrderStats();
    stats.started(START);
    visible(stats, 1_000, 40);
    stats.failed("POST 503");
    OrderWindow first = stats.takeWindow(START + TimeUnit.SECONDS.toNanos(10));
    visible(stats, 1_000, 10);
    stats.failed("GET 504");
    stats.failed("GET 504");
    OrderWindow second = stats.takeWindow(START + TimeUnit.SECONDS.toNanos(15));

    assertThat(first).isEqualTo(new OrderWindow(TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(10), 41, 41, 1, 40, 1_000, 1_000));
    assertThat(first.donePerSecond()).isEqualTo(4.1);
    assertThat(second.elapsedNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(15));
    assertThat(second.windowNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    assertThat(second.done()).isEqualTo(53);
    assertThat(second.windowDone()).isEqualTo(12);
    assertThat(second.windowFailed()).isEqualTo(2);
    assertThat(second.donePerSecond()).isEqualTo(2.4);
    assertThat(stats.failedCount()).isEqualTo(3);
  }

  @Test
  @DisplayName("a window in which no order became visible has no percentiles")
  void emptyWindow() {
    OrderStats stats = new OrderStats();
    stats.started(START);
    stats.failed("POST 503");

    OrderWindow window = stats.takeWindow(START + TimeUnit.SECONDS.toNanos(1));

    assertThat(window.visibleCount()).isZero();
    assertThat(window.p50Micros()).isZero();
    assertThat(window.p99Micros()).isZero();
    assertThat(window.windowFailed()).isEqualTo(1);
  }

  @Test
  @DisplayName("placed order ids come back as the node answered them, the node's ord-<uuid> form and any other alike")
  void placedOrders() {
    OrderStats stats = new OrderStats();
    List<String> uuids = java.util.stream.IntStream.range(0, 3_000).mapToObj(i -> "ord-" + UUID.randomUUID()).toList();
    uuids.forEach(stats::placed);
    List<String> others = List.of("order-7", "ord-not-a-uuid", "ord-" + UUID.randomUUID().toString().toUpperCase(), "ord-1-1-1-1-1");
    others.forEach(stats::placed);

    assertThat(stats.placedOrders()).hasSize(3_004).containsExactlyInAnyOrderElementsOf(
        java.util.stream.Stream.concat(uuids.stream(), others.stream()).toList());
  }
}
