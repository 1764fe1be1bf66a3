package io.herald.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;

/**
 * On Kafka: a TCP proxy cannot cut the broker off (clients reconnect to its advertised address), so the outage part
 * of the contract is covered by the adapter's own availability tests instead.
 */
@DisplayName("The platform on PostgreSQL and Kafka")
class KafkaFlowsIT extends BrokerFlowsContract {

  @Override
  protected String profile() {
    return "kafka";
  }

  @Override
  protected int brokerPort() {
    return 9092;
  }

  @Override
  protected boolean proxyable() {
    return false;
  }

  @Override
  protected Map<String, String> brokerSettings(String host, int port) {
    return Map.of("broker.kafka.bootstrapServers", host + ":" + port, "broker.kafka.namespace", namespace,
        "broker.kafka.sessionTimeoutMs", "10000");
  }

  // a third party's Kafka producer writing junk to the topic the group reads
  @Override
  protected Future<Void> publishForeign(Vertx vertx, String aggregateType, String type, Buffer body) {
    return vertx.executeBlocking(() -> {
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(namespace + "." + aggregateType, "foreign-" + UUID.randomUUID(), body.getBytes())).get();
      }
      return null;
    });
  }
}
