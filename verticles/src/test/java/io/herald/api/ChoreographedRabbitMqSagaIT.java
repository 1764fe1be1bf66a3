package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.unique;

import io.herald.api.ApiNode.Order;
import io.herald.api.ApiNode.User;
import io.herald.broker.rabbitmq.RabbitMqBroker;
import io.herald.broker.rabbitmq.RabbitMqBrokerOptions;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.inventory.InventoryState;
import io.herald.store.pg.FreshSchema;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The choreographed saga on PostgreSQL and RabbitMQ: the services react to each other's events as delivered by a real
 * broker (an exchange and queues of a namespace of its own), not the embedded event bus.
 */
@DisplayName("The choreographed saga on PostgreSQL and RabbitMQ")
class ChoreographedRabbitMqSagaIT extends SagaFlowsContract {

  private final FreshSchema schema = new FreshSchema("saga_choreo_rmq_it");
  private final String namespace = "s" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

  ChoreographedRabbitMqSagaIT() {
    super("choreography");
  }

  @Override
  protected List<String> profiles() {
    return List.of("postgres", "rabbitmq");
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("store.postgres.schema", schema.options().schema(), "broker.rabbitmq.namespace", namespace);
  }

  @Test
  @DisplayName("the services react through RabbitMQ: readiness names it as the node's broker")
  void runsOnRabbitMq() {
    JsonObject broker = api.get("/health/ready").bodyAsJsonObject().getJsonArray("checks").stream()
        .map(JsonObject.class::cast).filter(c -> "broker".equals(c.getString("name"))).findFirst().orElseThrow();
    assertThat(broker.getString("broker")).startsWith("rabbitmq ").endsWith("exchange " + namespace);
    assertThat(broker.getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("an order.created delivered again after its order shipped, and after its SKU forgot the order, reserves nothing")
  void lateRepeatOfAShippedOrderReservesNothing() {
    User user = api.registerUser();
    String sku = stock(unique("SKU"), 1_000);
    // the first order, then more shipped orders than the SKU remembers: only the order's own events tell the repeat
    List<Order> orders = new ArrayList<>();
    for (int i = 0; i <= InventoryState.SHIPPED_KEPT; i++) {
      orders.add(api.placeOrder(user.userId(), "tok_visa", line(sku, 1, "1.00")));
    }
    orders.forEach(o -> assertThat(finishedSaga(o.orderId()).getString("status")).isEqualTo("completed"));
    int shipped = orders.size();
    eventually(() -> api.streamTypes("inventory-" + sku), types -> Collections.frequency(types, "inventory.shipped") == shipped);
    JsonObject before = stockOf(sku);
    assertThat(before).isEqualTo(new JsonObject().put("sku", sku).put("available", 1_000 - shipped).put("reserved", shipped));

    double consumed = consumedOrderCreated();
    RecordedEvent created = api.node().context().store().readStream("order-" + orders.get(0).orderId(), 1).await().get(0);
    RabbitMqBroker broker = new RabbitMqBroker(api.node().context().vertx(), RabbitMqBrokerOptions.fromJson(new JsonObject()
        .put("host", "127.0.0.1").put("port", 5672).put("namespace", namespace)), BlueprintEvents.registry());
    try {
      broker.start().compose(v -> broker.publish(created)).await();
      eventually(this::consumedOrderCreated, n -> n >= consumed + 1);
    } finally {
      broker.close().await();
    }

    assertThat(stockOf(sku)).isEqualTo(before);
    assertThat(Collections.frequency(api.streamTypes("inventory-" + sku), "inventory.reserved")).isEqualTo(shipped);
  }

  /** Deliveries of order.created the inventory's saga reactions have handled. */
  private double consumedOrderCreated() {
    String text = api.get("/metrics").bodyAsString();
    return MetricsApiIT.value(text, "events_consumed_total", "consumer=\"inventory-saga\"", "event_type=\"order.created\"");
  }

  @Override
  protected void afterNode() {
    schema.drop();
  }
}
