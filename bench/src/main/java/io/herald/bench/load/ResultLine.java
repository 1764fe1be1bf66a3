package io.herald.bench.load;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The last line of a load run, for scripts that compare runs:
 * {@code RESULT orders_per_s=<n> p50_ms=<n> p99_ms=<n> sagas_per_s=<n> saga_p99_ms=<n>}. The latencies are POST →
 * order visible; a field the run did not measure (no order became visible, no saga service) is left out.
 */
final class ResultLine {

  private ResultLine() {
  }

  static String format(LoadResult r) {
    StringBuilder line = new StringBuilder("RESULT");
    field(line, "orders_per_s", r.acceptedPerSecond(), "%.1f");
    Histogram visible = r.visibleLatency();
    if (visible.getTotalCount() > 0) {
      field(line, "p50_ms", LoadReport.millis(visible.getValueAtPercentile(50)), "%.2f");
      field(line, "p99_ms", LoadReport.millis(visible.getValueAtPercentile(99)), "%.2f");
    }
    r.sagas().ifPresent(s -> {
      if (s.completed() + s.compensated() > 0) {
        field(line, "sagas_per_s", s.perSecond(), "%.1f");
      }
      if (s.duration().getTotalCount() > 0) {
        field(line, "saga_p99_ms", LoadReport.millis(s.duration().getValueAtPercentile(99)), "%.2f");
      }
    });
    return line.toString();
  }

  private static void field(StringBuilder line, String name, double value, String format) {
    line.append(' ').append(name).append('=').append(String.format(Locale.ROOT, format, value));
  }
}
