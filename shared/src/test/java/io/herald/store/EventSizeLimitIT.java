package io.herald.store;

import static io.herald.broker.TestEvents.orderShipped;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderPaid;
import io.herald.store.memory.InMemoryEventStore;
import io.herald.store.pg.FreshSchema;
import io.herald.store.pg.PgEventStore;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = SECONDS)
@DisplayName("The store's event size limit")
class EventSizeLimitIT {

  private static final EventFactory FACTORY = new EventFactory(BlueprintEvents.registry(), "/herald/test");
  private static final EventSizeLimit LIMIT = new EventSizeLimit(2_000);

  @Test
  @DisplayName("in memory: an append with an event over the limit fails with EventTooLargeException naming size and limit, and stores nothing")
  void inMemory(Vertx vertx) throws Exception {
    refusesOversizedEvents(new InMemoryEventStore(vertx, LIMIT));
  }

  @Test
  @DisplayName("on PostgreSQL: the same")
  void onPostgres(Vertx vertx) throws Exception {
    FreshSchema schema = new FreshSchema("size_limit");
    try {
      refusesOversizedEvents(PgEventStore.connect(vertx, schema.options(), BlueprintEvents.registry(), LIMIT)
          .await(30, SECONDS));
    } finally {
      schema.drop();
    }
  }

  private static void refusesOversizedEvents(EventStore store) throws Exception {
    try {
      Throwable refused = store.append("order-big", EventStore.ANY_VERSION,
          List.of(orderShipped("order-big"), paid("order-big", 3_000))).transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()))
          .await(10, SECONDS);

      assertThat(refused).isInstanceOf(EventTooLargeException.class)
          .hasMessageContaining("event 1 (order.paid) of the append to 'order-big'")
          .hasMessageContaining("over the store's limit of 2000 bytes per event (store.maxEventBytes)");
      EventTooLargeException tooLarge = (EventTooLargeException) refused;
      assertThat(tooLarge.sizeBytes()).isGreaterThan(3_000);
      assertThat(tooLarge.limitBytes()).isEqualTo(2_000);
      assertThat(store.readStream("order-big", 1).await(10, SECONDS)).as("nothing of the append is stored").isEmpty();
      assertThat(store.append("order-ok", EventStore.ANY_VERSION, List.of(paid("order-ok", 100))).await(10, SECONDS))
          .isNotNull();
    } finally {
      store.close().await(10, SECONDS);
    }
  }

  private static EventEnvelope paid(String orderId, int paddingChars) {
    return FACTORY.create(new OrderPaid(orderId, "pay-" + "x".repeat(paddingChars), new BigDecimal("12.50")));
  }
}
