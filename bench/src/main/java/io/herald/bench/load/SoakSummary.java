package io.herald.bench.load;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Whether a sampled run stayed flat, by numbers: the median of each figure over the first third of the samples
 * against its median over the last third (a median, so one window with a collector pause does not decide it), and
 * the largest lags of any sample. With fewer than three samples there are no thirds to compare.
 *
 * @param samples        how many samples the run took
 * @param heapUsedMb     heap kept by the old generation after its collections, first and last third
 * @param oldCollections collections of the old generation from the first sample to the last: with none, both
 *                       thirds' heap figure is the same stale one
 * @param rssMb          resident set, first and last third
 * @param p99Ms          POST → visible p99 of each window, first and last third
 * @param lag            the read models' summed lag, first and last third
 * @param relayLag       the relay's lag, first and last third
 * @param lagMax         the largest read-model lag of any sample
 * @param relayLagMax    the largest relay lag of any sample
 */
record SoakSummary(int samples, Thirds heapUsedMb, OptionalLong oldCollections, Thirds rssMb, Thirds p99Ms, Thirds lag,
                   Thirds relayLag, OptionalLong lagMax, OptionalLong relayLagMax) {

  /** A figure's median over the first and over the last third of the samples; empty where no sample had it. */
  record Thirds(OptionalDouble first, OptionalDouble last) {

    static final Thirds NONE = new Thirds(OptionalDouble.empty(), OptionalDouble.empty());

    boolean measured() {
      return first.isPresent() && last.isPresent();
    }
  }

  static SoakSummary of(List<Sample> samples) {
    return new SoakSummary(samples.size(),
        thirds(samples, s -> megabytes(s.memory().heapAfterOldCollection())),
        between(samples, s -> s.memory().oldCollections()),
        thirds(samples, s -> megabytes(s.memory().rss())),
        thirds(samples, s -> s.orders().visibleCount() > 0
            ? OptionalDouble.of(LoadReport.millis(s.orders().p99Micros())) : OptionalDouble.empty()),
        thirds(samples, s -> events(s.lag().projections())),
        thirds(samples, s -> events(s.lag().relay())),
        max(samples, s -> s.lag().projections()),
        max(samples, s -> s.lag().relay()));
  }

  /**
   * @return {@code SOAK samples=<n> heap_used_mb_first=<n> heap_used_mb_last=<n> old_gcs=<n> rss_mb_first=<n>
   *     rss_mb_last=<n> p99_ms_first=<n> p99_ms_last=<n> lag_first=<n> lag_last=<n> lag_max=<n> relay_lag_first=<n>
   *     relay_lag_last=<n> relay_lag_max=<n>}, leaving out what was not measured
   */
  String line() {
    StringBuilder line = new StringBuilder("SOAK samples=").append(samples);
    thirds(line, "heap_used_mb", heapUsedMb, "%.1f");
    oldCollections.ifPresent(count -> line.append(" old_gcs=").append(count));
    thirds(line, "rss_mb", rssMb, "%.1f");
    thirds(line, "p99_ms", p99Ms, "%.2f");
    thirds(line, "lag", lag, "%.1f");
    lagMax.ifPresent(max -> line.append(" lag_max=").append(max));
    thirds(line, "relay_lag", relayLag, "%.1f");
    relayLagMax.ifPresent(max -> line.append(" relay_lag_max=").append(max));
    return line.toString();
  }

  private static OptionalDouble megabytes(OptionalLong bytes) {
    return bytes.isPresent() ? OptionalDouble.of(SampleLine.megabytes(bytes.getAsLong())) : OptionalDouble.empty();
  }

  private static OptionalDouble events(OptionalLong count) {
    return count.isPresent() ? OptionalDouble.of(count.getAsLong()) : OptionalDouble.empty();
  }

  private static Thirds thirds(List<Sample> samples, Function<Sample, OptionalDouble> figure) {
    int third = samples.size() / 3;
    if (third == 0) {
      return Thirds.NONE;
    }
    return new Thirds(median(samples.subList(0, third), figure), median(samples.subList(samples.size() - third, samples.size()), figure));
  }

  private static OptionalDouble median(List<Sample> samples, Function<Sample, OptionalDouble> figure) {
    double[] values = samples.stream().map(figure).filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble)
        .sorted().toArray();
    if (values.length == 0) {
      return OptionalDouble.empty();
    }
    int middle = values.length / 2;
    return OptionalDouble.of(values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2);
  }

  /** @return how much a counter grew from the first sample that has it to the last */
  private static OptionalLong between(List<Sample> samples, Function<Sample, OptionalLong> counter) {
    long[] counts = samples.stream().map(counter).filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).toArray();
    return counts.length == 0 ? OptionalLong.empty() : OptionalLong.of(counts[counts.length - 1] - counts[0]);
  }

  private static OptionalLong max(List<Sample> samples, Function<Sample, OptionalLong> figure) {
    return samples.stream().map(figure).filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).max();
  }

  private static void thirds(StringBuilder line, String name, Thirds thirds, String format) {
    if (thirds.measured()) {
      line.append(' ').append(name).append("_first=").append(String.format(Locale.ROOT, format, thirds.first().getAsDouble()));
      line.append(' ').append(name).append("_last=").append(String.format(Locale.ROOT, format, thirds.last().getAsDouble()));
    }
  }
}
