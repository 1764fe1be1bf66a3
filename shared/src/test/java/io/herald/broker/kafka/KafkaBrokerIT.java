package io.herald.broker.kafka;

import io.herald.broker.MessageBroker;
import io.herald.broker.MessageBrokerContract;
import io.herald.broker.RawMessage;
import io.herald.event.domain.BlueprintEvents;
import io.herald.testing.KafkaBehindProxy;
import io.herald.testing.TcpProxy;
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

  private static KafkaBehindProxy own;

  @AfterAll
  static void deleteTopics() throws Exception {
    KafkaTestSupport.deleteNamespaces();
    if (own != null) {
      own.close();
      own = null;
    }
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

  /**
   * Clients reach Kafka at its advertised listener after bootstrap, around a proxy in front of the shared broker: the
   * outage tests run against a broker of this class's own that advertises its proxy.
   */
  @Override
  protected TcpProxy cuttable() throws Exception {
    if (own == null) {
      own = KafkaBehindProxy.start();
    }
    own.proxy().restore();
    return own.proxy();
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
