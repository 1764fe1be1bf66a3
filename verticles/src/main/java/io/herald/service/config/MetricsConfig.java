package io.herald.service.config;

/**
 * Metrics ({@code metrics.*}).
 *
 * @param sampleIntervalMs how often the lag gauges (relay, consumers, projections) and the dead-letter counts are
 *                         sampled, in milliseconds; a scrape shows the last sample
 */
public record MetricsConfig(long sampleIntervalMs) {

  public static final long DEFAULT_SAMPLE_INTERVAL_MS = 1_000;
}
