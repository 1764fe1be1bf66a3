package io.herald.broker.kafka;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.DeadLetterHeaders;
import io.herald.broker.MessageBroker;
import io.herald.broker.MessageBrokerContract;
import io.herald.broker.RawMessage;
import io.herald.broker.TestEvents;
import io.herald.delivery.Consumers;
import io.herald.delivery.RetryPolicy;
import io.herald.delivery.memory.InMemoryDeadLetterStore;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.testing.KafkaBehindProxy;
import io.herald.testing.TcpProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
        .filter(r -> group.equals(header(r, DeadLetterHeaders.GROUP)))
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

  @Test
  @DisplayName("while a dead letter's move fails, only its own partition's commit waits: the other partition commits, and once the move works the commit moves on")
  void refusedDeadLetterHoldsBackOnlyItsPartitionsCommit() throws Exception {
    String topic = namespace + ".order";
    String doomedStream = streamOnPartition(0, "doomed");
    String otherStream = streamOnPartition(1, "other");
    try (Admin admin = KafkaTestSupport.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(20, TimeUnit.SECONDS);
    }
    MessageBroker broker = started();
    List<RecordedEvent> handled = new CopyOnWriteArrayList<>();
    new Consumers(vertx, broker, new InMemoryDeadLetterStore(), new RetryPolicy(2, 10, 200))
        .atLeastOnce("keeper", List.of("order.*"), event -> {
          if (event.position() == 1) {
            return Future.failedFuture(new IllegalStateException("ledger rejected it"));
          }
          handled.add(event);
          return Future.succeededFuture();
        }).await(30, SECONDS);
    Unblock unblock = blockDeadLetters(broker, namespace, "keeper");
    RecordedEvent next = new RecordedEvent(2, doomedStream, TestEvents.orderShipped(doomedStream));
    List<RecordedEvent> elsewhere = List.of(new RecordedEvent(3, otherStream, TestEvents.orderPaid(otherStream)),
        new RecordedEvent(4, otherStream, TestEvents.orderShipped(otherStream)));

    broker.publishAll(List.of(new RecordedEvent(1, doomedStream, TestEvents.orderPaid(doomedStream)), next,
        elsewhere.get(0), elsewhere.get(1))).await(20, SECONDS);
    TopicPartition blocked = new TopicPartition(topic, 0);
    TopicPartition free = new TopicPartition(topic, 1);
    await("the other partition's events are handled and committed", 60,
        () -> handled.containsAll(elsewhere) && committed(free) == 2);
    TestEvents.pause(500); // commits that would wrongly move partition 0 have had time to happen

    assertThat(handled).doesNotContain(next);
    assertThat(committed(blocked)).as("partition 0 commits nothing past the message that is not moved yet")
        .isLessThanOrEqualTo(0);

    unblock.run();
    await("the blocked partition's commit moves past both its records", 60, () -> committed(blocked) == 2);
    assertThat(handled).contains(next);
    assertThat(deadLettersOf(broker, namespace, "keeper").await(20, SECONDS)).hasSize(1);
  }

  /** @return the committed offset of the test's "keeper" group on {@code partition}, -1 when none */
  private long committed(TopicPartition partition) {
    try (Admin admin = KafkaTestSupport.admin()) {
      OffsetAndMetadata offset = admin.listConsumerGroupOffsets(namespace + ".keeper").partitionsToOffsetAndMetadata()
          .get(20, TimeUnit.SECONDS).get(partition);
      return offset == null ? -1 : offset.offset();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // a stream id the producer's default partitioner puts on {@code partition} of a 2-partition topic
  private String streamOnPartition(int partition, String prefix) {
    for (int i = 0; ; i++) {
      String key = prefix + "-" + namespace + "-" + i;
      if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
        return key;
      }
    }
  }
}
