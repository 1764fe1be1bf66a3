package io.herald.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects the figures of a run and renders them as plain-text (Markdown) tables: a summary of Herald beside
 * the raw baseline with targets, then the load details (latencies and CPU) that explain the summary.
 */
final class Report {

  private static final String DASH = "—";

  private final List<String> facts = new ArrayList<>();
  private final List<String[]> summary = new ArrayList<>();
  private final List<String[]> loads = new ArrayList<>();
  private final List<String[]> reads = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> misses = new ArrayList<>();

  /** A fact about the run (machine, versions, payload, durations), printed above the tables. */
  void fact(String fact) {
    facts.add(fact);
  }

  void note(String note) {
    notes.add(note);
  }

  void codec(String name, CodecSuite.Score herald, CodecSuite.Score raw, double target) {
    if (herald == null) {
      return;
    }
    summary(name + " — envelopes/s", herald.mean(), raw == null ? Double.NaN : raw.mean(), Double.NaN, target);
  }

  /** A Herald load case beside its raw counterpart; {@code raw} may be null. */
  void append(String name, LoadResult herald, LoadResult raw, double rawReference, double target) {
    summary(name + " — events/s", herald.rowsPerSecond(), raw == null ? Double.NaN : raw.rowsPerSecond(), rawReference, target);
  }

  /** A raw-only load case, printed with its reference point from earlier measurements. */
  void rawOnly(String name, LoadResult raw, double rawReference) {
    summary(name + " — rows/s", Double.NaN, raw.rowsPerSecond(), rawReference, Double.NaN);
  }

  void read(String name, Timed herald, Timed raw, double target) {
    summary(name + " — events/s", herald.perSecond(), raw == null ? Double.NaN : raw.perSecond(), Double.NaN, target);
  }

  /** One side of a load case, for the details table. */
  void loadDetail(String name, String unit, LoadResult r) {
    loads.add(new String[] {name, Integer.toString(r.clients()), count(r.rowsPerSecond()), count(r.operationsPerSecond()) + " " + unit,
        millis(r.latencyMillis(0.50)), millis(r.latencyMillis(0.99)), percent(r.cpu().jvmPercent()),
        percent(r.cpu().postgresPercent()), percent(r.cpu().otherPercent()), percent(r.cpu().machinePercent())});
  }

  void readDetail(String name, Timed t) {
    reads.add(new String[] {name, count(t.events()), String.format(Locale.ROOT, "%.2f", t.nanos() / 1e9), count(t.perSecond()),
        percent(t.cpu().jvmPercent()), percent(t.cpu().postgresPercent()), percent(t.cpu().otherPercent()),
        percent(t.cpu().machinePercent())});
  }

  List<String> misses() {
    return misses;
  }

  String render() {
    StringBuilder out = new StringBuilder();
    for (String fact : facts) {
      out.append(fact).append('\n');
    }
    if (!summary.isEmpty()) {
      out.append('\n');
      table(out, new String[] {"Case", "Herald", "Raw", "Herald/raw", "Raw ref.", "Target", "Result"}, summary, 1);
    }
    if (!loads.isEmpty()) {
      out.append("\nAppend and INSERT cases in detail (CPU in % of one core: this JVM, all postgres processes, everything else;"
          + " machine = % of all cores busy):\n\n");
      table(out, new String[] {"Case", "Clients", "Events/s", "Round trips/s", "p50 ms", "p99 ms", "JVM CPU", "postgres CPU", "Other CPU",
          "Machine"}, loads, 1);
    }
    if (!reads.isEmpty()) {
      out.append("\nRead cases in detail:\n\n");
      table(out, new String[] {"Case", "Events", "Seconds", "Events/s", "JVM CPU", "postgres CPU", "Other CPU", "Machine"}, reads, 1);
    }
    if (!notes.isEmpty()) {
      out.append('\n');
      for (String note : notes) {
        out.append("- ").append(note).append('\n');
      }
    }
    return out.toString();
  }

  private void summary(String name, double herald, double raw, double rawReference, double target) {
    String result = "";
    if (!Double.isNaN(target) && target > 0) {
      if (herald >= target) {
        result = "pass";
      } else {
        result = String.format(Locale.ROOT, "MISS (%.0f%% of target)", 100 * herald / target);
        misses.add(name.trim() + ": " + count(herald) + " < " + count(target));
      }
    }
    summary.add(new String[] {name,
        Double.isNaN(herald) ? DASH : count(herald),
        Double.isNaN(raw) ? DASH : count(raw),
        Double.isNaN(herald) || Double.isNaN(raw) ? DASH : String.format(Locale.ROOT, "%.2f×", herald / raw),
        Double.isNaN(rawReference) ? "" : "≈ " + count(rawReference),
        Double.isNaN(target) || target <= 0 ? "" : "≥ " + count(target),
        result});
  }

  private static void table(StringBuilder out, String[] header, List<String[]> rows, int leftAligned) {
    int[] width = new int[header.length];
    for (int c = 0; c < header.length; c++) {
      width[c] = header[c].length();
      for (String[] row : rows) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    line(out, header, width, leftAligned);
    out.append('|');
    for (int c = 0; c < header.length; c++) {
      out.append(c < leftAligned ? " :" : " ").append("-".repeat(width[c] - 1)).append(c < leftAligned ? " |" : ": |");
    }
    out.append('\n');
    for (String[] row : rows) {
      line(out, row, width, leftAligned);
    }
  }

  private static void line(StringBuilder out, String[] cells, int[] width, int leftAligned) {
    out.append('|');
    for (int c = 0; c < cells.length; c++) {
      String pad = " ".repeat(width[c] - cells[c].length());
      out.append(' ').append(c < leftAligned ? cells[c] + pad : pad + cells[c]).append(" |");
    }
    out.append('\n');
  }

  static String count(double value) {
    return Double.isNaN(value) ? DASH : String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String millis(double value) {
    return Double.isNaN(value) ? DASH : String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
  }

  private static String percent(double value) {
    return Double.isNaN(value) ? DASH : String.format(Locale.ROOT, "%.0f%%", value);
  }

  /** A timed read: events read, elapsed time, CPU used meanwhile. */
  record Timed(long events, long nanos, CpuSampler.Usage cpu) {
    double perSecond() {
      return events / (nanos / 1e9);
    }
  }
}
