package io.herald.inventory;

import java.util.Collection;
import java.util.Map;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * The stock of one SKU.
 *
 * @param exists       whether the SKU was ever stocked
 * @param available    units that can still be reserved
 * @param reserved     units held by orders, shipped ones included
 * @param reservations units held per order id, until the order ships; persistent, so that an event changes one
 *                     entry without copying the others (a SKU in a flash sale holds thousands of them)
 * @param shipped      the orders shipped last, oldest first, at most {@link #SHIPPED_KEPT}: a repeat of a
 *                     reservation racing its order's shipment finds it here and changes nothing
 */
public record InventoryState(boolean exists, int available, int reserved, PMap<String, Integer> reservations,
                             ShippedOrders shipped) {

  /** How many shipped orders a SKU remembers, so that its state stays bounded however many orders it ships. */
  public static final int SHIPPED_KEPT = 128;

  public static final InventoryState NONE = new InventoryState(false, 0, 0, HashTreePMap.empty(), ShippedOrders.NONE);

  public InventoryState(boolean exists, int available, int reserved, Map<String, Integer> reservations,
                        Collection<String> shipped) {
    this(exists, available, reserved, HashTreePMap.from(reservations), ShippedOrders.of(shipped));
  }

  /** Whether the order holds units of this SKU or shipped them lately. */
  public boolean knows(String orderId) {
    return reservations.containsKey(orderId) || shipped.contains(orderId);
  }

  /** The state after the order's units left with its shipment. */
  InventoryState ship(String orderId) {
    return new InventoryState(exists, available, reserved, reservations.minus(orderId), shipped.plus(orderId, SHIPPED_KEPT));
  }
}
