package io.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.domain.Address;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import io.herald.store.pg.FreshSchema;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("docs sample: the PostgreSQL store from your own code")
class PgStoreExampleIT {

  private final FreshSchema schema = new FreshSchema("docs_store");
  private final Vertx vertx = Vertx.vertx();
  private final List<PgStoreExample> runs = new java.util.ArrayList<>();

  @AfterEach
  void close() {
    for (PgStoreExample run : runs) {
      Futures.await(run.reader.close());
      Futures.await(run.store.close());
    }
    Futures.await(vertx.close());
    schema.drop();
  }

  @Test
  @DisplayName("the order is stored and delivered to the reader; a second writer of the same new stream gets the conflict message")
  void storesFollowsAndRefusesAStaleAppend() {
    String orderId = "ord-" + UUID.randomUUID();
    OrderCreated created = new OrderCreated(orderId, "usr-1", "ada@example.org",
        List.of(new OrderItem("SKU-1", 2, new BigDecimal("19.90"))), new BigDecimal("39.80"),
        new Address("1 Main St", "Springfield", "12345", "US"), "tok_visa");

    PgStoreExample first = new PgStoreExample();
    runs.add(first);
    first.run(vertx, schema.options().schema(), orderId, created);
    assertThat(Futures.await(first.stored).nextVersion()).isEqualTo(1);
    Await.until("the reader has the order", () -> first.projected.size() == 1);
    assertThat(first.projected.get(0).data()).isEqualTo(created);

    PgStoreExample second = new PgStoreExample();
    runs.add(second);
    second.run(vertx, schema.options().schema(), orderId, created);
    assertThat(Futures.failureOf(second.stored)).hasMessage(orderId + " moved on to version 1");
    Await.until("the second reader caught up from position 1", () -> second.projected.size() == 1);
    assertThat(second.projected.get(0).streamId()).isEqualTo(orderId);
  }
}
