package io.herald.payment;

import java.math.BigDecimal;

/**
 * A payment as its events left it.
 *
 * @param status   where the payment is
 * @param orderId  the order it pays, or {@code null} before the first attempt
 * @param amount   the amount charged (or attempted)
 * @param reason   why the last attempt failed or why it was refunded, or {@code null}
 * @param attempts how many charges were attempted
 */
public record PaymentState(Status status, String orderId, BigDecimal amount, String reason, int attempts) {

  public static final PaymentState NONE = new PaymentState(Status.NONE, null, BigDecimal.ZERO, null, 0);

  public enum Status { NONE, FAILED, CHARGED, REFUNDED }
}
