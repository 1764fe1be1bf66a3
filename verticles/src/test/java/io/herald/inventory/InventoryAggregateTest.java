package io.herald.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.aggregate.AggregateRepository;
import io.herald.aggregate.CommandRejectedException;
import io.herald.aggregate.RepositoryOptions;
import io.herald.event.EventFactory;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.InventoryReservationFailed;
import io.herald.store.memory.InMemoryEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The stock of a SKU")
class InventoryAggregateTest {

  private Vertx vertx;
  private AggregateRepository<InventoryState> stock;

  @BeforeAll
  void open() {
    vertx = Vertx.vertx();
    stock = new AggregateRepository<>(new InMemoryEventStore(vertx), new InventoryAggregate(),
        new EventFactory(BlueprintEvents.registry(), "inventory"), new RepositoryOptions(3, 50));
  }

  @AfterAll
  void close() {
    vertx.close().await();
  }

  private String sku(int available) {
    String sku = "SKU-" + UUID.randomUUID();
    stock.handle(sku, s -> InventoryAggregate.set(s, available)).await();
    return sku;
  }

  private InventoryState reserve(String sku, String orderId, int quantity) {
    return stock.handle(sku, s -> InventoryAggregate.reserve(s, orderId, quantity)).await().aggregate().state();
  }

  @Test
  @DisplayName("a reservation moves units from available to reserved, once per order; a release gives them back")
  void reserveAndRelease() {
    String sku = sku(10);
    reserve(sku, "o-1", 3);
    InventoryState twice = reserve(sku, "o-1", 3);
    assertThat(twice.available()).isEqualTo(7);
    assertThat(twice.reserved()).isEqualTo(3);

    InventoryState released = stock.handle(sku, s -> InventoryAggregate.release(s, "o-1", "payment failed")).await().aggregate().state();
    assertThat(released.available()).isEqualTo(10);
    assertThat(released.reserved()).isZero();
    assertThat(stock.handle(sku, s -> InventoryAggregate.release(s, "o-1", "again")).await().changed()).isFalse();
  }

  @Test
  @DisplayName("too little stock is recorded as a failed reservation that names what was available and asked for")
  void outOfStock() {
    String sku = sku(2);
    var result = stock.handle(sku, s -> InventoryAggregate.reserve(s, "o-9", 5)).await();

    assertThat(result.events()).singleElement().extracting(e -> e.data()).isInstanceOfSatisfying(InventoryReservationFailed.class,
        f -> assertThat(f.reason()).isEqualTo("out of stock: " + sku + " has 2 available, 5 requested"));
    assertThat(result.aggregate().state().available()).isEqualTo(2);
  }

  @Test
  @DisplayName("setting stock changes what is available and keeps what is reserved; a negative level is refused")
  void setKeepsReservations() {
    String sku = sku(5);
    reserve(sku, "o-1", 2);
    InventoryState set = stock.handle(sku, s -> InventoryAggregate.set(s, 20)).await().aggregate().state();

    assertThat(set.available()).isEqualTo(20);
    assertThat(set.reserved()).isEqualTo(2);
    assertThat(Futures.failureOf(stock.handle(sku, s -> InventoryAggregate.set(s, -1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("available");
    assertThat(Futures.failureOf(stock.handle("SKU-none-" + UUID.randomUUID(), s -> {
      InventoryAggregate.requireStocked(s);
      return List.of();
    }))).isInstanceOf(CommandRejectedException.class).hasMessageContaining("is not stocked");
  }

  @Test
  @DisplayName("40 concurrent reservations of one unit against 25 in stock: exactly 25 succeed, none oversold")
  void concurrentReservationsNeverOversell() {
    String sku = sku(25);
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String orderId = "o-" + i;
      all.add(stock.handle(sku, s -> InventoryAggregate.reserve(s, orderId, 1)));
    }
    Future.join(all).otherwiseEmpty().await();

    InventoryState end = stock.load(sku).await().state();
    assertThat(end.available()).isZero();
    assertThat(end.reserved()).isEqualTo(25);
    assertThat(end.reservations()).hasSize(25);
  }

  private InventoryState ship(String sku, String orderId) {
    return stock.handle(sku, s -> InventoryAggregate.ship(s, orderId, "shp-" + orderId)).await().aggregate().state();
  }

  @Test
  @DisplayName("a shipped order is settled: its units stay reserved, the SKU forgets it, and a repeat of its reservation or a release changes nothing")
  void shippedOrderIsSettled() {
    String sku = sku(10);
    reserve(sku, "o-1", 3);
    reserve(sku, "o-2", 2);

    InventoryState shipped = ship(sku, "o-1");

    assertThat(shipped.reservations()).containsOnlyKeys("o-2");
    assertThat(shipped.shipped()).containsExactly("o-1");
    assertThat(shipped.available()).isEqualTo(5);
    assertThat(shipped.reserved()).isEqualTo(5);
    assertThat(stock.handle(sku, s -> InventoryAggregate.reserve(s, "o-1", 3)).await().changed()).as("repeated reservation").isFalse();
    assertThat(stock.handle(sku, s -> InventoryAggregate.release(s, "o-1", "late", true)).await().changed()).as("release").isFalse();
    assertThat(stock.handle(sku, s -> InventoryAggregate.ship(s, "o-1", "shp-o-1")).await().changed()).as("shipped again").isFalse();
    assertThat(stock.handle(sku, s -> InventoryAggregate.ship(s, "o-9", "shp-o-9")).await().changed()).as("never reserved").isFalse();
    assertThat(stock.load(sku).await().state()).isEqualTo(stock.handle(sku, s -> List.of()).await().aggregate().state());
  }

  @Test
  @DisplayName("however many orders a SKU ships, its state holds the orders in flight and the last 128 shipped, from snapshots and events alike")
  void stateStaysBoundedAsOrdersShip() {
    String sku = sku(10_000);
    int orders = 3 * InventoryState.SHIPPED_KEPT;
    for (int i = 0; i < orders; i++) {
      reserve(sku, "o-" + i, 1);
      ship(sku, "o-" + i);
    }
    reserve(sku, "o-open", 2);

    InventoryState loaded = stock.load(sku).await().state();   // from a snapshot (every 3 events) and what followed
    assertThat(loaded.reservations()).containsOnlyKeys("o-open");
    assertThat(loaded.shipped()).hasSize(InventoryState.SHIPPED_KEPT)
        .first().isEqualTo("o-" + (orders - InventoryState.SHIPPED_KEPT));
    assertThat(loaded.shipped()).last().isEqualTo("o-" + (orders - 1));
    assertThat(loaded.reserved()).isEqualTo(orders + 2);
    assertThat(loaded.available()).isEqualTo(10_000 - orders - 2);

    InventoryAggregate aggregate = new InventoryAggregate();
    assertThat(aggregate.fromSnapshot(aggregate.toSnapshot(loaded))).isEqualTo(loaded);
    // forgotten long ago: a reservation under its id would be new; the order's own events guard against that
    assertThat(loaded.knows("o-0")).isFalse();
  }
}
