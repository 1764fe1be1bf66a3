package io.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.eventbus.EventBusBroker;
import io.herald.broker.eventbus.EventBusBrokerOptions;
import io.herald.delivery.Consumers;
import io.herald.delivery.RetryPolicy;
import io.herald.delivery.memory.InMemoryDeadLetterStore;
import io.herald.event.EventCodecs;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.UserRegistered;
import io.herald.store.pg.FreshSchema;
import io.herald.store.pg.PgEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("docs sample: one consumer group per delivery guarantee")
class ConsumersExampleIT {

  private final FreshSchema schema = new FreshSchema("docs_consumers");
  private final EventFactory events = new EventFactory(BlueprintEvents.registry(), "/docs/consumers");
  private Vertx vertx;
  private PgEventStore store;
  private EventBusBroker broker;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    store = schema.connect(vertx, BlueprintEvents.registry());   // migrations create the inbox table
    Futures.await(store.pool().query("CREATE TABLE ledger (order_id text NOT NULL, amount numeric NOT NULL)").execute());
    broker = new EventBusBroker(vertx, EventBusBrokerOptions.defaults(), BlueprintEvents.registry());
    Futures.await(broker.start());
  }

  @AfterEach
  void tearDown() {
    Futures.await(broker.close());
    Futures.await(store.close());
    Futures.await(vertx.close());
    schema.drop();
  }

  @Test
  @DisplayName("the mailer gets the signup, the counter every delivery, and a redelivered payment is booked once")
  void eachGroupGetsItsGuarantee() {
    ConsumersExample example = new ConsumersExample();
    Pool pool = store.pool();
    Futures.await(example.subscribe(new Consumers(vertx, broker, new InMemoryDeadLetterStore(), RetryPolicy.defaults()),
        pool));
    String orderId = "ord-" + UUID.randomUUID();
    RecordedEvent signup = new RecordedEvent(1, "user-u1", events.create(new UserRegistered("u1", "u1@example.org", "u1")));
    RecordedEvent paid = new RecordedEvent(2, orderId, events.create(new OrderPaid(orderId, "pay-1", new BigDecimal("39.80"))));
    RecordedEvent paidAgain = new RecordedEvent(3, orderId,
        events.create(new OrderPaid(orderId, "pay-2", new BigDecimal("5.00"))));

    Futures.await(broker.publish(signup));
    Futures.await(broker.publish(paid));
    Futures.await(broker.publish(paid));        // delivered again, as after a lost ack
    Futures.await(broker.publish(paidAgain));   // same stream: reaches the group only after both deliveries above settled

    Await.until("the second payment is booked", () -> ledger(pool, orderId).size() == 2);
    assertThat(ledger(pool, orderId)).containsExactlyInAnyOrder("39.80", "5.00");
    Await.until("the counter saw every delivery", () -> example.counters.byType.getOrDefault("order.paid", 0) == 3);
    assertThat(example.counters.byType).containsEntry("user.registered", 1);
    assertThat(example.mailer.sent).extracting(e -> e.envelope().id()).containsExactly(signup.envelope().id());
  }

  private static List<String> ledger(Pool pool, String orderId) {
    List<String> amounts = new ArrayList<>();
    for (Row row : Futures.await(pool.preparedQuery("SELECT amount FROM ledger WHERE order_id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(orderId)))) {
      amounts.add(row.getBigDecimal(0).toPlainString());
    }
    return amounts;
  }
}
