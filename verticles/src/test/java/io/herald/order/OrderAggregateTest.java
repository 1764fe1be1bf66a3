package io.herald.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.aggregate.AggregateRepository;
import io.herald.aggregate.CommandRejectedException;
import io.herald.aggregate.RepositoryOptions;
import io.herald.event.EventFactory;
import io.herald.event.domain.Address;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderItem;
import io.herald.store.memory.InMemoryEventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The Order aggregate")
class OrderAggregateTest {

  private static final List<OrderItem> ITEMS = List.of(new OrderItem("sku-1", 2, new BigDecimal("19.90")),
      new OrderItem("sku-2", 1, new BigDecimal("0.20")));
  private static final Address ADDRESS = new Address("1 Main St", "Springfield", "12345", "US");

  private Vertx vertx;
  private InMemoryEventStore store;
  private AggregateRepository<OrderState> orders;

  @BeforeAll
  void open() {
    vertx = Vertx.vertx();
    store = new InMemoryEventStore(vertx);
    orders = new AggregateRepository<>(store, new OrderAggregate(), new EventFactory(BlueprintEvents.registry(), "/herald/order"),
        new RepositoryOptions(3, 10));
  }

  @AfterAll
  void close() {
    vertx.close().await();
  }

  private String created() {
    String id = "o-" + UUID.randomUUID();
    orders.handle(id, o -> OrderAggregate.create(o, "u-1", "u1@example.org", ITEMS, ADDRESS, "tok_visa")).await();
    return id;
  }

  private static Throwable failure(Future<?> future) {
    try {
      future.await();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  @DisplayName("goes pending → paid → shipped, with the exact total, rebuilt from its events")
  void happyPath() {
    String id = created();
    orders.handle(id, o -> OrderAggregate.pay(o, "p-1", new BigDecimal("40.00"))).await();
    orders.handle(id, o -> OrderAggregate.ship(o, "s-1")).await();

    OrderState state = orders.load(id).await().state();
    assertThat(state.status()).isEqualTo(OrderStatus.SHIPPED);
    assertThat(state.total()).isEqualByComparingTo("40.00");
    assertThat(state.paymentId()).isEqualTo("p-1");
  }

  @Test
  @DisplayName("paying twice is refused with: order already paid")
  void payTwice() {
    String id = created();
    orders.handle(id, o -> OrderAggregate.pay(o, "p-1", new BigDecimal("40.00"))).await();

    assertThat(failure(orders.handle(id, o -> OrderAggregate.pay(o, "p-2", new BigDecimal("40.00")))))
        .isInstanceOf(CommandRejectedException.class).hasMessage("order " + id + " already paid");
  }

  @Test
  @DisplayName("refuses to ship unpaid, to pay the wrong amount, to cancel after shipping, and names unknown orders")
  void refusals() {
    String id = created();
    assertThat(failure(orders.handle(id, o -> OrderAggregate.ship(o, "s-1")))).hasMessage("order " + id + " is not paid yet");
    assertThat(failure(orders.handle(id, o -> OrderAggregate.pay(o, "p-1", new BigDecimal("39.99")))))
        .hasMessage("payment of 39.99 does not match the order total 40.00");
    orders.handle(id, o -> OrderAggregate.pay(o, "p-1", new BigDecimal("40.00"))).await();
    orders.handle(id, o -> OrderAggregate.ship(o, "s-1")).await();
    assertThat(failure(orders.handle(id, o -> OrderAggregate.cancel(o, "changed my mind"))))
        .hasMessage("order " + id + " already shipped");
    assertThat(failure(orders.handle("o-missing", o -> OrderAggregate.pay(o, "p", BigDecimal.ONE))))
        .isInstanceOf(OrderNotFoundException.class).hasMessage("order o-missing not found");
  }

  @Test
  @DisplayName("a cancelled order keeps its reason, refuses payment, and a second cancel stores nothing")
  void cancel() {
    String id = created();
    orders.handle(id, o -> OrderAggregate.cancel(o, "card declined")).await();

    assertThat(orders.handle(id, o -> OrderAggregate.cancel(o, "again")).await().changed()).isFalse();
    assertThat(orders.load(id).await().state().reason()).isEqualTo("card declined");
    assertThat(failure(orders.handle(id, o -> OrderAggregate.pay(o, "p", new BigDecimal("40.00")))))
        .hasMessage("order " + id + " is cancelled");
  }

  @Test
  @DisplayName("its snapshot reads back as the same state")
  void snapshotRoundTrip() {
    String id = created();
    orders.handle(id, o -> OrderAggregate.pay(o, "p-1", new BigDecimal("40.00"))).await();
    orders.handle(id, o -> OrderAggregate.ship(o, "s-1")).await();   // version 3: a snapshot is due
    OrderAggregate aggregate = new OrderAggregate();

    OrderState state = orders.load(id).await().state();
    assertThat(store.loadSnapshot("order-" + id).await()).isPresent();
    assertThat(aggregate.fromSnapshot(aggregate.toSnapshot(state))).isEqualTo(state);
  }
}
