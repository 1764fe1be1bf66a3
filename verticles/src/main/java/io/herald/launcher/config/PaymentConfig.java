package io.herald.launcher.config;

/**
 * The payment service ({@code payment.*}).
 *
 * @param timeoutMs   how long a caller waits for a charge or refund, in milliseconds
 * @param slowDelayMs how long the test token {@code tok_slow} takes to answer; longer than {@code timeoutMs}
 *                    makes it a timeout for the caller
 */
public record PaymentConfig(long timeoutMs, long slowDelayMs) {

  static PaymentConfig read(ConfigValues values) {
    return new PaymentConfig(
        values.longValue("payment.timeoutMs", 2_000, 1, 600_000),
        values.longValue("payment.slowDelayMs", 5_000, 0, 600_000));
  }
}
