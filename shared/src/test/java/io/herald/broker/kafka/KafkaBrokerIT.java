package io.herald.broker.kafka;

import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Admin;
import io.herald.broker.MessageBroker;
import io.herald.broker.MessageBrokerContract;
import io.herald.broker.RawMessage;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The Kafka broker, against the broker contract")
class KafkaBrokerIT extends MessageBrokerContract {

  @AfterAll
  static void deleteTopics() throws Exception {
    KafkaTestSupport.deleteNamespaces();
  }

  @Override
  protected MessageBroker newBroker(Vertx vertx, String namespace, String host, int port) {
    KafkaTestSupport.remember(namespace);
    return new KafkaBroker(vertx, KafkaBrokerOptions.fromJson(new JsonObject()
        .put("bootstrapServers", host + ":" + port)
        .put("namespace", namespace)
        .put("redeliveryBaseMs", 10)
        .put("redeliveryCapMs", 50)
        .put("publishTimeoutMs", 15_000)), BlueprintEvents.registry());
  }

  @Override
  protected int brokerPort() {
    return KafkaTestSupport.PORT;
  }

  @Override
  protected Future<Void> publishForeign(String namespace, String aggregateType, String type, Buffer body) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(namespace + "." + aggregateType,
        "foreign-" + UUID.randomUUID(), body.getBytes());
    return vertx.executeBlocking(() -> {
      KafkaTestSupport.send(record);
      return null;
    });
  }

  @Override
  protected Future<List<RawMessage>> deadLettersOf(MessageBroker broker, String namespace, String group) {
    return vertx.executeBlocking(() -> KafkaTestSupport
        .readAll(topic -> topic.startsWith(namespace + ".") && topic.endsWith(".DLT")).stream()
        .filter(r -> group.equals(header(r, KafkaDeadLetters.GROUP)))
        .map(KafkaTestSupport::raw)
        .toList());
  }

  @Override
  protected boolean reachableThroughProxy() {
    return false; // clients reach Kafka at its advertised listener after bootstrap; see KafkaAvailabilityIT
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  // the dead-letter topic made first, with a record size limit no letter fits; raising it lets them in
  @Override
  protected Unblock blockDeadLetters(MessageBroker broker, String namespace, String group) throws Exception {
    String topic = KafkaTopics.deadLetterTopicOf(namespace + ".order");
    try (Admin admin = KafkaTestSupport.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "16"))))
          .all().get(20, TimeUnit.SECONDS);
    }
    return () -> {
      try (Admin admin = KafkaTestSupport.admin()) {
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                Set.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET))))
            .all().get(20, TimeUnit.SECONDS);
      }
    };
  }
}
