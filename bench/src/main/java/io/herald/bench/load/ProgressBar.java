package io.herald.bench.load;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Shows how far a phase is: done of total, the current rate and the errors. On a terminal the line is redrawn in
 * place with {@code \r}, at most {@link #REDRAW_MS} apart; otherwise (a pipe, a log file) a plain line is printed
 * every {@link #PLAIN_MS}. The caller may call {@link #update} as often as it likes.
 */
final class ProgressBar {

  static final long REDRAW_MS = 200;
  static final long PLAIN_MS = 2_000;
  static final long RATE_WINDOW_MS = 1_000;
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final String label;
  private final long total;
  private final long startNanos;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private long lastDrawNanos;
  private int lastWidth;

  /** @param terminal redraw in place (a console) rather than print lines */
  ProgressBar(PrintStream out, boolean terminal, String label, long total, long startNanos) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
    this.total = total;
    this.startNanos = startNanos;
    this.lastDrawNanos = startNanos;
    samples.add(new long[] {startNanos, 0});
  }

  /** Draws when the last drawing is old enough: {@value #REDRAW_MS} ms on a terminal, {@value #PLAIN_MS} ms otherwise. */
  void update(long done, long errors, long nowNanos) {
    sample(done, nowNanos);
    long since = TimeUnit.NANOSECONDS.toMillis(nowNanos - lastDrawNanos);
    if (since >= (terminal ? REDRAW_MS : PLAIN_MS)) {
      draw(done, errors, nowNanos);
    }
  }

  /**
   * Makes room for a line of someone else's: on a terminal the bar's line is blanked and the cursor put back at its
   * start, and the next {@link #update} draws the bar again at once. Elsewhere the bar's lines are whole lines already.
   */
  void clear() {
    if (terminal && lastWidth > 0) {
      out.print("\r" + " ".repeat(lastWidth) + "\r");
      out.flush();
      lastWidth = 0;
      lastDrawNanos = startNanos - TimeUnit.MILLISECONDS.toNanos(REDRAW_MS);
    }
  }

  /** Draws the final state and ends the line. */
  void finish(long done, long errors, long nowNanos) {
    sample(done, nowNanos);
    draw(done, errors, nowNanos);
    if (terminal) {
      out.println();
    }
    out.flush();
  }

  /** @return the line for these numbers, e.g. {@code orders  12,000/20,000 [####....]  60.0%  3,210/s  errors 0} */
  String line(long done, long errors, long nowNanos) {
    double fraction = total <= 0 ? 1 : Math.min(1, done / (double) total);
    int filled = (int) Math.round(fraction * WIDTH);
    return String.format(Locale.ROOT, "%s %,d/%,d [%s%s] %5.1f%%  %,.0f/s  errors %,d  %ds", label, done, total,
        "#".repeat(filled), ".".repeat(WIDTH - filled), fraction * 100, rate(), errors,
        TimeUnit.NANOSECONDS.toSeconds(nowNanos - startNanos));
  }

  private void draw(long done, long errors, long nowNanos) {
    lastDrawNanos = nowNanos;
    String line = line(done, errors, nowNanos);
    if (terminal) {
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
      lastWidth = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  private void sample(long done, long nowNanos) {
    samples.addLast(new long[] {nowNanos, done});
    long window = TimeUnit.MILLISECONDS.toNanos(RATE_WINDOW_MS);
    while (samples.size() > 2 && nowNanos - samples.peekFirst()[0] > window && nowNanos - secondOldest()[0] >= window) {
      samples.removeFirst();
    }
  }

  private long[] secondOldest() {
    var it = samples.iterator();
    it.next();
    return it.next();
  }

  /** Done per second over about the last second. */
  private double rate() {
    long[] oldest = samples.peekFirst();
    long[] newest = samples.peekLast();
    long nanos = newest[0] - oldest[0];
    return nanos <= 0 ? 0 : (newest[1] - oldest[1]) * (double) TimeUnit.SECONDS.toNanos(1) / nanos;
  }
}
