package io.herald.order;

import io.herald.aggregate.Aggregate;
import io.herald.aggregate.CommandRejectedException;
import io.herald.aggregate.Loaded;
import io.herald.event.DomainEvent;
import io.herald.event.EventJson;
import io.herald.event.domain.Address;
import io.herald.event.domain.OrderCancelled;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.OrderShipped;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;

/**
 * The Order aggregate: rebuilt from its events, and the rules that decide which commands it accepts. Every refusal
 * names its reason, e.g. {@code order o-1 already paid}.
 */
public final class OrderAggregate implements Aggregate<OrderState> {

  @Override
  public String type() {
    return "order";
  }

  @Override
  public OrderState initial() {
    return OrderState.NONE;
  }

  @Override
  public OrderState apply(OrderState state, DomainEvent event) {
    if (event instanceof OrderCreated c) {
      return new OrderState(c.orderId(), c.userId(), c.email(), c.items(), c.total(), c.shippingAddress(),
          c.paymentToken(), OrderStatus.PENDING, null, null);
    }
    if (event instanceof OrderPaid p) {
      return state.with(OrderStatus.PAID, p.paymentId(), null);
    }
    if (event instanceof OrderShipped) {
      return state.with(OrderStatus.SHIPPED, state.paymentId(), null);
    }
    if (event instanceof OrderCancelled c) {
      return state.with(OrderStatus.CANCELLED, state.paymentId(), c.reason());
    }
    throw new IllegalArgumentException("the order aggregate has no rule for " + event.getClass().getSimpleName());
  }

  @Override
  public String snapshotType() {
    return "order-v2";
  }

  // the created event carries everything but the status fields, so a snapshot is that event plus them
  @Override
  public JsonObject toSnapshot(OrderState state) {
    OrderCreated created = new OrderCreated(state.orderId(), state.userId(), state.email(), state.items(), state.total(),
        state.address(), state.paymentToken());
    return new JsonObject()
        .put("created", new JsonObject(EventJson.toMap(created)))
        .put("status", state.status().name())
        .put("paymentId", state.paymentId())
        .put("reason", state.reason());
  }

  @Override
  public OrderState fromSnapshot(JsonObject snapshot) {
    OrderCreated created = EventJson.fromMap("order.created", snapshot.getJsonObject("created").getMap(), OrderCreated.class);
    return apply(OrderState.NONE, created)
        .with(OrderStatus.valueOf(snapshot.getString("status")), snapshot.getString("paymentId"), snapshot.getString("reason"));
  }

  /** Creates an order; refused when the id is taken, there are no items or the total does not add up. */
  public static List<DomainEvent> create(Loaded<OrderState> order, String userId, String email, List<OrderItem> items,
                                         Address address, String paymentToken) {
    if (order.exists()) {
      throw new CommandRejectedException(order.id(), "order " + order.id() + " already exists");
    }
    if (items.isEmpty()) {
      throw new CommandRejectedException(order.id(), "an order needs at least one item");
    }
    BigDecimal total = items.stream().map(OrderItem::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
    return List.of(new OrderCreated(order.id(), userId, email, items, total, address, paymentToken));
  }

  /** Marks the order paid; refused unless it is pending. */
  public static List<DomainEvent> pay(Loaded<OrderState> order, String paymentId, BigDecimal amount) {
    OrderState s = existing(order);
    switch (s.status()) {
      case PAID, SHIPPED -> throw new CommandRejectedException(order.id(), "order " + order.id() + " already paid");
      case CANCELLED -> throw new CommandRejectedException(order.id(), "order " + order.id() + " is cancelled");
      default -> {
      }
    }
    if (amount.compareTo(s.total()) != 0) {
      throw new CommandRejectedException(order.id(),
          "payment of " + amount.toPlainString() + " does not match the order total " + s.total().toPlainString());
    }
    return List.of(new OrderPaid(order.id(), paymentId, amount));
  }

  /** Ships the order; refused unless it is paid. */
  public static List<DomainEvent> ship(Loaded<OrderState> order, String shipmentId) {
    OrderState s = existing(order);
    return switch (s.status()) {
      case PAID -> List.of(new OrderShipped(order.id(), shipmentId));
      case SHIPPED -> throw new CommandRejectedException(order.id(), "order " + order.id() + " already shipped");
      case CANCELLED -> throw new CommandRejectedException(order.id(), "order " + order.id() + " is cancelled");
      default -> throw new CommandRejectedException(order.id(), "order " + order.id() + " is not paid yet");
    };
  }

  /** Cancels the order with a reason; refused once it shipped, and a second cancel changes nothing. */
  public static List<DomainEvent> cancel(Loaded<OrderState> order, String reason) {
    OrderState s = existing(order);
    return switch (s.status()) {
      case SHIPPED -> throw new CommandRejectedException(order.id(), "order " + order.id() + " already shipped");
      case CANCELLED -> List.of();
      default -> List.of(new OrderCancelled(order.id(), reason));
    };
  }

  /**
   * Cancels the order only while it is not paid: how a saga's deadline stops an order that has not got that far,
   * while one already paid goes on to ship. A second cancel changes nothing.
   */
  public static List<DomainEvent> cancelUnpaid(Loaded<OrderState> order, String reason) {
    if (existing(order).status() == OrderStatus.PAID) {
      throw new CommandRejectedException(order.id(), "order " + order.id() + " already paid");
    }
    return cancel(order, reason);
  }

  private static OrderState existing(Loaded<OrderState> order) {
    if (!order.exists()) {
      throw new OrderNotFoundException(order.id());
    }
    return order.state();
  }
}
