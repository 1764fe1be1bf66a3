package io.herald.api;

import io.herald.testing.KafkaBehindProxy;
import io.herald.testing.TcpProxy;
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
 * On Kafka, a broker of the test's own: a TCP proxy in front of the shared broker cannot cut the node off (after
 * bootstrap, clients connect to the advertised listener), so this class starts a KRaft broker that advertises its
 * proxy (see {@link KafkaBehindProxy}).
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

  private KafkaBehindProxy own;

  @Override
  protected TcpProxy startProxy(Vertx vertx) {
    try {
      own = KafkaBehindProxy.start();
    } catch (Exception e) {
      throw new AssertionError("the test's own Kafka broker did not start", e);
    }
    return own.proxy();
  }

  @Override
  protected void stopProxy(TcpProxy proxy) {
    try {
      own.close();
    } catch (Exception e) {
      throw new AssertionError("the test's own Kafka broker did not stop", e);
    }
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
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, own.bootstrapServers());
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(namespace + "." + aggregateType, "foreign-" + UUID.randomUUID(), body.getBytes())).get();
      }
      return null;
    });
  }
}
