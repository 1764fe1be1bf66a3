package io.herald.load;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The report printed on stdout at the end of a load run: plain text, one fact per line. */
final class LoadReport {

  static final double[] PERCENTILES = {50, 90, 99, 99.9};

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
    out.append(String.format(Locale.ROOT, "  %-20s%9s%9s%9s%9s%9s%n", "latency, ms", "p50", "p90", "p99", "p99.9", "max"));
    latency(out, "POST answered 202", r.acceptLatency());
    latency(out, "order visible", r.visibleLatency());
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

  /** One row of percentiles in milliseconds; the histogram holds microseconds. */
  private static void latency(StringBuilder out, String label, Histogram micros) {
    out.append(String.format(Locale.ROOT, "    %-18s", label));
    if (micros.getTotalCount() == 0) {
      out.append(String.format(Locale.ROOT, "%9s%9s%9s%9s%9s%n", "-", "-", "-", "-", "-"));
      return;
    }
    for (double p : PERCENTILES) {
      out.append(String.format(Locale.ROOT, "%9.2f", millis(micros.getValueAtPercentile(p))));
    }
    out.append(String.format(Locale.ROOT, "%9.2f%n", millis(micros.getMaxValue())));
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
