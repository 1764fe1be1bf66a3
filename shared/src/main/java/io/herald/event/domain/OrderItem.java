package io.herald.event.domain;

import java.math.BigDecimal;

/** One order line. {@code unitPrice} is exact; it travels as a decimal string. */
public record OrderItem(String sku, int quantity, BigDecimal unitPrice) {

  public BigDecimal lineTotal() {
    return unitPrice.multiply(BigDecimal.valueOf(quantity));
  }
}
