package io.herald.inventory;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import org.pcollections.HashTreePSet;
import org.pcollections.OrderedPSet;
import org.pcollections.PSet;

/**
 * The orders a SKU shipped last, oldest first, at most {@code limit} of them; persistent, like the rest of the state.
 * Every reservation asks whether its order is here, so membership is a hash lookup: {@link OrderedPSet} alone
 * answers {@code contains} by walking its elements.
 */
public final class ShippedOrders extends AbstractSet<String> {

  static final ShippedOrders NONE = new ShippedOrders(OrderedPSet.empty(), HashTreePSet.empty());

  private final OrderedPSet<String> inOrder;
  private final PSet<String> ids;

  private ShippedOrders(OrderedPSet<String> inOrder, PSet<String> ids) {
    this.inOrder = inOrder;
    this.ids = ids;
  }

  static ShippedOrders of(Collection<String> orderIds) {
    return new ShippedOrders(OrderedPSet.from(orderIds), HashTreePSet.from(orderIds));
  }

  /** @return these and {@code orderId} last, the oldest left out when there would be more than {@code limit} */
  ShippedOrders plus(String orderId, int limit) {
    if (ids.contains(orderId)) {
      return this;
    }
    OrderedPSet<String> order = inOrder.plus(orderId);
    PSet<String> known = ids.plus(orderId);
    if (order.size() > limit) {
      String oldest = order.iterator().next();
      order = order.minus(oldest);
      known = known.minus(oldest);
    }
    return new ShippedOrders(order, known);
  }

  @Override
  public boolean contains(Object orderId) {
    return ids.contains(orderId);
  }

  @Override
  public Iterator<String> iterator() {
    return inOrder.iterator();
  }

  @Override
  public int size() {
    return inOrder.size();
  }
}
