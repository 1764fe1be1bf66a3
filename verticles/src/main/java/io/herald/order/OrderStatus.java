package io.herald.order;

/** Where an order is in its life: pending → paid → shipped, or cancelled before it ships. */
public enum OrderStatus {
  NONE, PENDING, PAID, SHIPPED, CANCELLED;

  /** @return the name used on the API ({@code pending}, {@code paid}, …) */
  public String apiName() {
    return name().toLowerCase();
  }
}
