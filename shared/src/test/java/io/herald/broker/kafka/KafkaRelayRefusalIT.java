package io.herald.broker.kafka;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.herald.broker.MessageBroker;
import io.herald.event.domain.BlueprintEvents;
import io.herald.relay.RelayRefusalContract;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The relay in front of Kafka, whose topic refuses large records")
class KafkaRelayRefusalIT extends RelayRefusalContract {

  @AfterAll
  static void deleteTopics() throws Exception {
    KafkaTestSupport.deleteNamespaces();
  }

  // above the producer's batch.size (16 KiB): a topic limit below it makes the producer split batches forever
  @Override
  protected int limitBytes() {
    return 65_536;
  }

  // the topic exists before the broker starts, with its own max.message.bytes
  @Override
  protected MessageBroker startedBrokerWithLimit(Vertx vertx, String namespace) throws Exception {
    KafkaTestSupport.remember(namespace);
    try (Admin admin = KafkaTestSupport.admin()) {
      admin.createTopics(List.of(new NewTopic(namespace + ".order", 1, (short) 1)
          .configs(Map.of("max.message.bytes", Integer.toString(limitBytes()))))).all().get(20, SECONDS);
    }
    KafkaBroker broker = new KafkaBroker(vertx, KafkaBrokerOptions.fromJson(new JsonObject()
        .put("bootstrapServers", KafkaTestSupport.SERVERS)
        .put("namespace", namespace)
        .put("publishTimeoutMs", 15_000)), BlueprintEvents.registry());
    broker.start().await(30, SECONDS);
    return broker;
  }

  @Override
  protected void cleanUp(Vertx vertx, String namespace, MessageBroker broker) throws Exception {
    broker.close().await(20, SECONDS);
  }
}
