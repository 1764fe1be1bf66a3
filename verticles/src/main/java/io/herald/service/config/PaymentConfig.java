package io.herald.service.config;

/**
 * The payment service ({@code payment.*}).
 *
 * @param timeoutMs   how long a caller waits for a charge or refund, in milliseconds
 * @param slowDelayMs how long the test token {@code tok_slow} takes to answer; longer than {@code timeoutMs}
 *                    makes it a timeout for the caller
 */
public record PaymentConfig(long timeoutMs, long slowDelayMs) {
}
