package io.herald.launcher.config;

/**
 * The relay's publisher lease ({@code relay.leaseRetryMs}, {@code relay.leaseCheckMs}): with PostgreSQL, one relay
 * per store publishes, however many processes run one.
 *
 * @param retryMs how often a relay without the lease tries to take it, in milliseconds
 * @param checkMs how often the holder checks it still has it, in milliseconds
 */
public record RelayLeaseConfig(long retryMs, long checkMs) {

  static RelayLeaseConfig read(ConfigValues values) {
    return new RelayLeaseConfig(values.longValue("relay.leaseRetryMs", 1_000, 10, 600_000),
        values.longValue("relay.leaseCheckMs", 1_000, 10, 600_000));
  }
}
