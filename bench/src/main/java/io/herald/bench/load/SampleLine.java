package io.herald.bench.load;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A sample as one line for scripts: {@code SAMPLE t_s=<n> orders=<n> orders_per_s=<n> p50_ms=<n> p99_ms=<n>
 * failed=<n> heap_used_mb=<n> old_gcs=<n> heap_mb=<n> rss_mb=<n> lag=<n> relay_lag=<n>}. Rates, percentiles and the
 * failures are of the window alone; {@code orders} counts every order finished so far. As in the RESULT line, a
 * figure the sample did not get is left out.
 */
final class SampleLine {

  static final double MB = 1024.0 * 1024.0;

  private SampleLine() {
  }

  static String format(Sample s) {
    OrderWindow w = s.orders();
    StringBuilder line = new StringBuilder("SAMPLE");
    line.append(" t_s=").append(Math.round(w.elapsedNanos() / (double) TimeUnit.SECONDS.toNanos(1)));
    line.append(" orders=").append(w.done());
    line.append(" orders_per_s=").append(String.format(Locale.ROOT, "%.1f", w.donePerSecond()));
    if (w.visibleCount() > 0) {
      line.append(" p50_ms=").append(String.format(Locale.ROOT, "%.2f", LoadReport.millis(w.p50Micros())));
      line.append(" p99_ms=").append(String.format(Locale.ROOT, "%.2f", LoadReport.millis(w.p99Micros())));
    }
    line.append(" failed=").append(w.windowFailed());
    megabytes(line, "heap_used_mb", s.memory().heapAfterOldCollection());
    whole(line, "old_gcs", s.memory().oldCollections());
    megabytes(line, "heap_mb", OptionalLong.of(s.memory().heapNow()));
    megabytes(line, "rss_mb", s.memory().rss());
    whole(line, "lag", s.lag().projections());
    whole(line, "relay_lag", s.lag().relay());
    return line.toString();
  }

  static double megabytes(long bytes) {
    return bytes / MB;
  }

  private static void megabytes(StringBuilder line, String name, OptionalLong bytes) {
    bytes.ifPresent(b -> line.append(' ').append(name).append('=').append(String.format(Locale.ROOT, "%.1f", megabytes(b))));
  }

  private static void whole(StringBuilder line, String name, OptionalLong value) {
    value.ifPresent(v -> line.append(' ').append(name).append('=').append(v));
  }
}
