package io.herald.inventory;

import java.util.Map;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * The stock of one SKU.
 *
 * @param exists       whether the SKU was ever stocked
 * @param available    units that can still be reserved
 * @param reserved     units held by orders
 * @param reservations units held per order id; persistent, so that an event changes one entry without copying the
 *                     others (a SKU in a flash sale holds thousands of them)
 */
public record InventoryState(boolean exists, int available, int reserved, PMap<String, Integer> reservations) {

  public static final InventoryState NONE = new InventoryState(false, 0, 0, HashTreePMap.empty());

  public InventoryState(boolean exists, int available, int reserved, Map<String, Integer> reservations) {
    this(exists, available, reserved, HashTreePMap.from(reservations));
  }
}
