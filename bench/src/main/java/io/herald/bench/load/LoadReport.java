package io.herald.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The report printed on stdout at the end of a load run: plain text, one fact per line. */
final class LoadReport {

  static final double[] PERCENTILES = {50, 90, 99, 99.9};
  static final int COLUMN = 9;

  private LoadReport() {
  }

  static String format(LoadResult r) {
    LoadOptions o = r.options();
    StringBuilder out = new StringBuilder("Herald load report\n");
    row(out, "target", r.target());
    row(out, "store", r.store());
    row(out, "orders", String.format(Locale.ROOT, "%,d, concurrency %d, %s", o.orders(), o.concurrency(), rate(o)));
    row(out, "users", String.format(Locale.ROOT, "%,d", o.users()));
    row(out, "accepted", String.format(Locale.ROOT, "%,d of %,d in %.2f s: %,.0f orders/s", r.accepted(), o.orders(),
        seconds(r.elapsedNanos()), r.acceptedPerSecond()));
    row(out, "visible", String.format(Locale.ROOT, "%,d of %,d", r.visible(), o.orders()));
    row(out, "errors", errors(r.errors()));
    latencies(out, List.of("POST answered 202", "order visible"), List.of(r.acceptLatency(), r.visibleLatency()));
    r.sagas().ifPresent(s -> {
      row(out, "sagas", String.format(Locale.ROOT, "%,d completed, %,d compensated, %,d unfinished in %.2f s: %,.0f sagas/s",
          s.completed(), s.compensated(), s.unfinished(), seconds(s.spanNanos()), s.perSecond()));
      latencies(out, List.of("saga duration", "  started last 2/3"), List.of(s.duration(), s.warm()));
    });
    if (o.rebuild()) {
      row(out, "rebuild", r.rebuild().map(LoadReport::rebuild).orElseGet(() -> "failed: " + r.rebuildFailure().orElse("unknown")));
    }
    row(out, "result", result(r));
    return out.toString();
  }

  private static String rate(LoadOptions o) {
    return o.paced()
        ? String.format(Locale.ROOT, "rate %,.0f orders/s (open loop, latency from each scheduled send)", o.rate())
        : "unpaced (closed loop, as fast as the concurrency allows)";
  }

  private static String errors(Map<String, Long> errors) {
    if (errors.isEmpty()) {
      return "none";
    }
    return errors.entrySet().stream()
        .map(e -> e.getKey() + ": " + String.format(Locale.ROOT, "%,d", e.getValue()))
        .collect(Collectors.joining(", "));
  }

  /**
   * The percentile table in milliseconds (the histograms hold microseconds). Columns are at least
   * {@value #COLUMN} wide and grow to fit the widest value, so figures never run together.
   */
  private static void latencies(StringBuilder out, List<String> labels, List<Histogram> histograms) {
    List<String> header = List.of("p50", "p90", "p99", "p99.9", "max");
    List<List<String>> rows = histograms.stream().map(LoadReport::cells).toList();
    int width = Math.max(COLUMN, rows.stream().flatMap(List::stream).mapToInt(cell -> cell.length() + 2).max().orElse(0));
    out.append(String.format(Locale.ROOT, "  %-20s", "latency, ms"));
    header.forEach(h -> out.append(pad(h, width)));
    out.append('\n');
    for (int i = 0; i < rows.size(); i++) {
      out.append(String.format(Locale.ROOT, "    %-18s", labels.get(i)));
      rows.get(i).forEach(cell -> out.append(pad(cell, width)));
      out.append('\n');
    }
  }

  private static List<String> cells(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return List.of("-", "-", "-", "-", "-");
    }
    List<String> cells = new ArrayList<>();
    for (double p : PERCENTILES) {
      cells.add(String.format(Locale.ROOT, "%.2f", millis(micros.getValueAtPercentile(p))));
    }
    cells.add(String.format(Locale.ROOT, "%.2f", millis(micros.getMaxValue())));
    return cells;
  }

  private static String pad(String cell, int width) {
    return " ".repeat(Math.max(0, width - cell.length())) + cell;
  }

  private static String rebuild(RebuildResult rebuild) {
    if (!rebuild.observed()) {
      return String.format(Locale.ROOT, "%s: %,d events in at most %.3f s: at least %,.0f events/s"
              + " (replayed before the first status poll)",
          rebuild.projection(), rebuild.events(), seconds(rebuild.elapsedNanos()), rebuild.eventsPerSecond());
    }
    return String.format(Locale.ROOT, "%s: %,d events in %.3f s: %,.0f events/s",
        rebuild.projection(), rebuild.events(), seconds(rebuild.elapsedNanos()), rebuild.eventsPerSecond());
  }

  private static String result(LoadResult r) {
    if (r.ok()) {
      return "OK: every order was accepted and became visible";
    }
    long orders = r.options().orders();
    if (r.visible() < orders) {
      return String.format(Locale.ROOT, "FAILED: %,d of %,d orders were not accepted or did not become visible",
          orders - r.visible(), orders);
    }
    if (r.sagas().map(s -> s.unfinished() > 0).orElse(false)) {
      return "FAILED: some sagas did not finish";
    }
    return "FAILED: the rebuild was not timed";
  }

  private static void row(StringBuilder out, String name, String value) {
    out.append(String.format(Locale.ROOT, "  %-12s%s%n", name, value));
  }

  static double millis(long micros) {
    return micros / 1000.0;
  }

  static double seconds(long nanos) {
    return nanos / (double) TimeUnit.SECONDS.toNanos(1);
  }
}
