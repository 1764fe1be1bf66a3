package io.herald.inventory;

import io.herald.aggregate.Aggregate;
import io.herald.aggregate.CommandRejectedException;
import io.herald.aggregate.Loaded;
import io.herald.event.DomainEvent;
import io.herald.event.domain.InventoryAdjusted;
import io.herald.event.domain.InventoryReleased;
import io.herald.event.domain.InventoryReservationFailed;
import io.herald.event.domain.InventoryReserved;
import io.herald.event.domain.InventoryShipped;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The stock of one SKU (aggregate id = SKU): set, reserved per order at most once, released back, settled once shipped. */
public final class InventoryAggregate implements Aggregate<InventoryState> {

  @Override
  public String type() {
    return "inventory";
  }

  @Override
  public InventoryState initial() {
    return InventoryState.NONE;
  }

  @Override
  public InventoryState apply(InventoryState s, DomainEvent event) {
    if (event instanceof InventoryAdjusted a) {
      return new InventoryState(true, a.available(), s.reserved(), s.reservations(), s.shipped());
    }
    if (event instanceof InventoryReserved r) {
      Integer before = s.reservations().get(r.orderId());
      return new InventoryState(true, s.available() - r.quantity(), s.reserved() + r.quantity(),
          s.reservations().plus(r.orderId(), before == null ? r.quantity() : before + r.quantity()), s.shipped());
    }
    if (event instanceof InventoryReleased r) {
      // a release of nothing closes the order: a reservation arriving late finds it and changes nothing
      return new InventoryState(true, s.available() + r.quantity(), s.reserved() - r.quantity(),
          r.quantity() == 0 ? s.reservations().plus(r.orderId(), 0) : s.reservations().minus(r.orderId()), s.shipped());
    }
    if (event instanceof InventoryShipped shipped) {
      return s.ship(shipped.orderId());
    }
    if (event instanceof InventoryReservationFailed) {
      return s;
    }
    throw new IllegalArgumentException("the inventory aggregate has no rule for " + event.getClass().getSimpleName());
  }

  @Override
  public String snapshotType() {
    return "inventory-v1";
  }

  @Override
  public JsonObject toSnapshot(InventoryState s) {
    return new JsonObject().put("exists", s.exists()).put("available", s.available()).put("reserved", s.reserved())
        .put("reservations", new JsonObject(new HashMap<>(s.reservations())))
        .put("shipped", new JsonArray(new ArrayList<>(s.shipped())));
  }

  @Override
  public InventoryState fromSnapshot(JsonObject j) {
    Map<String, Integer> held = new HashMap<>();
    j.getJsonObject("reservations").forEach(e -> held.put(e.getKey(), ((Number) e.getValue()).intValue()));
    List<String> shipped = new ArrayList<>();
    j.getJsonArray("shipped", new JsonArray()).forEach(id -> shipped.add((String) id));
    return new InventoryState(j.getBoolean("exists"), j.getInteger("available"), j.getInteger("reserved"), held, shipped);
  }

  /** Sets the units available for new reservations; units already reserved stay reserved. */
  public static List<DomainEvent> set(Loaded<InventoryState> stock, int available) {
    if (available < 0) {
      throw new IllegalArgumentException("available: must be at least 0, was " + available);
    }
    if (stock.exists() && stock.state().available() == available) {
      return List.of();
    }
    return List.of(new InventoryAdjusted(stock.id(), available));
  }

  /**
   * Reserves units for an order; a second reservation for the same order changes nothing. Too little stock is
   * recorded as a failed reservation, which the caller reports.
   */
  public static List<DomainEvent> reserve(Loaded<InventoryState> stock, String orderId, int quantity) {
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity: must be at least 1, was " + quantity);
    }
    if (stock.state().knows(orderId)) {
      return List.of();
    }
    int available = stock.state().available();
    if (available < quantity) {
      return List.of(new InventoryReservationFailed(stock.id(), orderId, quantity, available,
          "out of stock: " + stock.id() + " has " + available + " available, " + quantity + " requested"));
    }
    return List.of(new InventoryReserved(stock.id(), orderId, quantity));
  }

  /** Gives an order's units back; releasing what is not held changes nothing. */
  public static List<DomainEvent> release(Loaded<InventoryState> stock, String orderId, String reason) {
    return release(stock, orderId, reason, false);
  }

  /**
   * Gives an order's units back. With {@code close}, an order holding nothing is closed for good (a release of
   * zero units): a reservation still on its way, sent by a saga step that timed out, then changes nothing.
   */
  public static List<DomainEvent> release(Loaded<InventoryState> stock, String orderId, String reason, boolean close) {
    if (stock.state().shipped().contains(orderId)) {
      return List.of();   // what left with a shipment is not given back
    }
    Integer held = stock.state().reservations().get(orderId);
    if (held == null) {
      return close ? List.of(new InventoryReleased(stock.id(), orderId, 0, reason)) : List.of();
    }
    return held == 0 ? List.of() : List.of(new InventoryReleased(stock.id(), orderId, held, reason));
  }

  /**
   * Records a reservation refused because the SKU was never stocked, so that the refusal is a fact others react to
   * (a choreographed saga cancels the order on it); the SKU stays unstocked. An order whose reservations were
   * closed gets no refusal.
   */
  public static List<DomainEvent> refuseUnstocked(Loaded<InventoryState> stock, String orderId, int quantity) {
    if (stock.state().knows(orderId)) {
      return List.of();
    }
    return List.of(new InventoryReservationFailed(stock.id(), orderId, quantity, 0, "sku " + stock.id() + " is not stocked"));
  }

  /**
   * Settles an order's reservation once its shipment exists: the SKU forgets the order (but for the last
   * {@link InventoryState#SHIPPED_KEPT} shipped), so its state does not grow with every order it ever shipped. An
   * order holding nothing here, or shipped already, changes nothing.
   */
  public static List<DomainEvent> ship(Loaded<InventoryState> stock, String orderId, String shipmentId) {
    Integer held = stock.state().reservations().get(orderId);
    return held == null || held == 0 ? List.of() : List.of(new InventoryShipped(stock.id(), orderId, held, shipmentId));
  }

  // by the state, not the stream: a stream holding only refusals of an unstocked SKU is still unstocked
  static void requireStocked(Loaded<InventoryState> stock) {
    if (!stock.state().exists()) {
      throw new CommandRejectedException(stock.id(), "sku " + stock.id() + " is not stocked");
    }
  }
}
