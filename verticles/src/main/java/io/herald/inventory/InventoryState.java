package io.herald.inventory;

import java.util.Map;

/**
 * The stock of one SKU.
 *
 * @param exists       whether the SKU was ever stocked
 * @param available    units that can still be reserved
 * @param reserved     units held by orders
 * @param reservations units held per order id
 */
public record InventoryState(boolean exists, int available, int reserved, Map<String, Integer> reservations) {

  public static final InventoryState NONE = new InventoryState(false, 0, 0, Map.of());

  public InventoryState {
    reservations = Map.copyOf(reservations);
  }
}
