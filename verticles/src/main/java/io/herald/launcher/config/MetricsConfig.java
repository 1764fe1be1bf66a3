package io.herald.launcher.config;

/**
 * Metrics ({@code metrics.*}).
 *
 * @param sampleIntervalMs how often the lag gauges (relay, consumers, projections) and the dead-letter counts are
 *                         sampled, in milliseconds; a scrape shows the last sample
 */
public record MetricsConfig(long sampleIntervalMs) {

  public static final long DEFAULT_SAMPLE_INTERVAL_MS = 1_000;

  static MetricsConfig read(ConfigValues values) {
    return new MetricsConfig(values.longValue("metrics.sampleIntervalMs", DEFAULT_SAMPLE_INTERVAL_MS, 100, 3_600_000));
  }
}
