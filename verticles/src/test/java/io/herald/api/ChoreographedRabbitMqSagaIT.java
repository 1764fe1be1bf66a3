package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.pg.FreshSchema;
import io.vertx.core.json.JsonObject;
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

  @Override
  protected void afterNode() {
    schema.drop();
  }
}
