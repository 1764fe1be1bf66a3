package io.herald.order;

import io.herald.event.domain.Address;
import io.herald.event.domain.OrderItem;
import java.math.BigDecimal;
import java.util.List;

/**
 * An order as its events left it.
 *
 * @param orderId   the order id, or {@code null} before it was created
 * @param userId    who placed it
 * @param email     where to write to
 * @param items     the lines
 * @param total     the exact total
 * @param address   where it ships
 * @param paymentToken the payment method chosen at checkout
 * @param status    where it is in its life
 * @param paymentId the payment that paid it, or {@code null}
 * @param reason    why it was cancelled, or {@code null}
 */
public record OrderState(String orderId, String userId, String email, List<OrderItem> items, BigDecimal total,
                         Address address, String paymentToken, OrderStatus status, String paymentId, String reason) {

  public static final OrderState NONE = new OrderState(null, null, null, List.of(), BigDecimal.ZERO, null, null, OrderStatus.NONE,
      null, null);

  public OrderState with(OrderStatus newStatus, String newPaymentId, String newReason) {
    return new OrderState(orderId, userId, email, items, total, address, paymentToken, newStatus, newPaymentId, newReason);
  }
}
