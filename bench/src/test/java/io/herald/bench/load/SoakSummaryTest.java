package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("load SOAK summary")
class SoakSummaryTest {

  private static final long MB = 1024 * 1024;

  /**
   * A 10-second sample with these figures; heap and RSS in whole megabytes, p99 in milliseconds. The old generation
   * was collected twice in each window.
   */
  private static Sample sample(int index, long heapUsedMb, long rssMb, long p99Ms, long lag, long relayLag) {
    OrderWindow window = new OrderWindow(TimeUnit.SECONDS.toNanos(10L * (index + 1)), TimeUnit.SECONDS.toNanos(10),
        1_000L * (index + 1), 1_000, 0, 1_000, TimeUnit.MILLISECONDS.toMicros(p99Ms) / 2, TimeUnit.MILLISECONDS.toMicros(p99Ms));
    MemoryFigures memory = new MemoryFigures(OptionalLong.of(heapUsedMb * MB), OptionalLong.of(10 + 2L * index), 3 * heapUsedMb * MB,
        OptionalLong.of(rssMb * MB));
    return new Sample(window, memory, new NodeLag(OptionalLong.of(lag), OptionalLong.of(relayLag), Optional.empty()));
  }

  @Test
  @DisplayName("nine samples: the medians of samples 1–3 against those of samples 7–9, and the largest lags of all nine")
  void thirds() {
    List<Sample> samples = List.of(
        sample(0, 120, 400, 90, 3, 0), sample(1, 100, 420, 30, 0, 1), sample(2, 110, 410, 40, 12, 0),
        sample(3, 500, 900, 900, 250, 40), sample(4, 115, 430, 35, 0, 0), sample(5, 118, 431, 36, 5, 0),
        sample(6, 125, 440, 50, 0, 2), sample(7, 131, 445, 45, 7, 0), sample(8, 128, 442, 60, 1, 0));

    SoakSummary summary = SoakSummary.of(samples);

    assertThat(summary.samples()).isEqualTo(9);
    assertThat(summary.heapUsedMb()).isEqualTo(new SoakSummary.Thirds(OptionalDouble.of(110), OptionalDouble.of(128)));
    assertThat(summary.oldCollections()).hasValue(16);
    assertThat(summary.rssMb()).isEqualTo(new SoakSummary.Thirds(OptionalDouble.of(410), OptionalDouble.of(442)));
    assertThat(summary.p99Ms()).isEqualTo(new SoakSummary.Thirds(OptionalDouble.of(40), OptionalDouble.of(50)));
    assertThat(summary.lag()).isEqualTo(new SoakSummary.Thirds(OptionalDouble.of(3), OptionalDouble.of(1)));
    assertThat(summary.relayLag()).isEqualTo(new SoakSummary.Thirds(OptionalDouble.of(0), OptionalDouble.of(0)));
    // the middle third's spike counts only towards the largest lags
    assertThat(summary.lagMax()).hasValue(250);
    assertThat(summary.relayLagMax()).hasValue(40);
    assertThat(summary.line()).isEqualTo("SOAK samples=9 heap_used_mb_first=110.0 heap_used_mb_last=128.0 old_gcs=16 rss_mb_first=410.0"
        + " rss_mb_last=442.0 p99_ms_first=40.00 p99_ms_last=50.00 lag_first=3.0 lag_last=1.0 lag_max=250"
        + " relay_lag_first=0.0 relay_lag_last=0.0 relay_lag_max=40");
  }

  @Test
  @DisplayName("a third is the whole number of samples below n / 3; an even third's median is the mean of its middle two")
  void unevenCount() {
    List<Sample> samples = new ArrayList<>();
    long[] heap = {100, 104, 90, 300, 300, 300, 300, 300, 120, 128, 200};
    for (int i = 0; i < heap.length; i++) {
      samples.add(sample(i, heap[i], 400, 20, 0, 0));
    }

    SoakSummary summary = SoakSummary.of(samples);

    // 11 samples: thirds of 3, samples 1–3 and 9–11
    assertThat(summary.heapUsedMb()).isEqualTo(new SoakSummary.Thirds(OptionalDouble.of(100), OptionalDouble.of(128)));
    List<Sample> twelve = new ArrayList<>(samples);
    twelve.add(0, sample(0, 80, 400, 20, 0, 0));
    // 12 samples: thirds of 4, {80, 100, 104, 90} and {300, 120, 128, 200}
    assertThat(SoakSummary.of(twelve).heapUsedMb()).isEqualTo(new SoakSummary.Thirds(OptionalDouble.of(95), OptionalDouble.of(164)));
  }

  @Test
  @DisplayName("what no sample of a third measured is left out; fewer than three samples compare nothing")
  void unmeasured() {
    Sample noHeapYet = new Sample(sample(0, 1, 400, 20, 0, 0).orders(),
        new MemoryFigures(OptionalLong.empty(), OptionalLong.of(0), 50 * MB, OptionalLong.of(400 * MB)),
        new NodeLag(OptionalLong.empty(), OptionalLong.empty(), Optional.of("GET /api/admin/projections answered 403: no")));
    Sample laterHeap = sample(1, 130, 410, 25, 4, 0);
    Sample lastHeap = sample(2, 131, 415, 30, 2, 0);

    SoakSummary three = SoakSummary.of(List.of(noHeapYet, laterHeap, lastHeap));
    assertThat(three.line()).isEqualTo("SOAK samples=3 old_gcs=14 rss_mb_first=400.0 rss_mb_last=415.0 p99_ms_first=20.00"
        + " p99_ms_last=30.00 lag_max=4 relay_lag_max=0");

    assertThat(SoakSummary.of(List.of(laterHeap, lastHeap)).line()).isEqualTo("SOAK samples=2 old_gcs=2 lag_max=4 relay_lag_max=0");
    assertThat(SoakSummary.of(List.of()).line()).isEqualTo("SOAK samples=0");
  }

  @Test
  @DisplayName("no collection of the old generation between the first and the last sample shows as old_gcs=0: the heap figure is stale")
  void staleHeap() {
    Sample first = sample(0, 15, 400, 20, 0, 0);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Sample same = sample(i, 15, 400 + i, 20, 0, 0);
      samples.add(new Sample(same.orders(), new MemoryFigures(first.memory().heapAfterOldCollection(),
          first.memory().oldCollections(), same.memory().heapNow(), same.memory().rss()), same.lag()));
    }

    assertThat(SoakSummary.of(samples).line())
        .startsWith("SOAK samples=6 heap_used_mb_first=15.0 heap_used_mb_last=15.0 old_gcs=0 rss_mb_first=400.5 rss_mb_last=404.5 ");
  }
}
