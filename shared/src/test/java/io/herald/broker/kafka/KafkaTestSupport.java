package io.herald.broker.kafka;

import io.herald.broker.RawMessage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real Kafka broker on 127.0.0.1:9092 (started by {@code scripts/kafka.sh start}), seen through Kafka's own
 * clients, with none of Herald's code: how a third party writes to and reads from the topics Herald uses. Tests run
 * in namespaces of their own and {@link #deleteNamespaces()} removes their topics and groups afterwards.
 */
final class KafkaTestSupport {

  static final String SERVERS = "127.0.0.1:9092";
  static final int PORT = 9092;

  private static final Set<String> namespaces = ConcurrentHashMap.newKeySet();

  private KafkaTestSupport() {
  }

  /** @return a fresh namespace, remembered for {@link #deleteNamespaces()} */
  static String namespace(String prefix) {
    String ns = prefix + Long.toString(System.nanoTime(), 36);
    namespaces.add(ns);
    return ns;
  }

  static void remember(String namespace) {
    namespaces.add(namespace);
  }

  static KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVERS);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  static void send(ProducerRecord<String, byte[]> record) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(record).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("raw send to " + record.topic() + " failed", e);
    }
  }

  static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SERVERS));
  }

  /** Reads every record of the topics the filter selects, from the beginning to their current end. */
  static List<ConsumerRecord<String, byte[]>> readAll(Predicate<String> topicFilter) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVERS);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics(Duration.ofSeconds(20)).entrySet()) {
        if (topicFilter.test(topic.getKey())) {
          topic.getValue().forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(20));
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!reachedEnd(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read to the end of " + partitions);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey(), Duration.ofSeconds(20)) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  static Map<String, String> headers(ConsumerRecord<?, ?> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : record.headers()) {
      headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  static RawMessage raw(ConsumerRecord<String, byte[]> record) {
    return new RawMessage(Buffer.buffer(record.value()), headers(record),
        record.topic() + "[" + record.partition() + "]@" + record.offset());
  }

  /** Deletes the topics and consumer groups of every namespace handed out so far. */
  static void deleteNamespaces() throws Exception {
    Set<String> done = Set.copyOf(namespaces);
    if (done.isEmpty()) {
      return;
    }
    try (Admin admin = admin()) {
      Collection<String> topics = admin.listTopics().names().get(20, TimeUnit.SECONDS).stream()
          .filter(t -> done.stream().anyMatch(ns -> t.startsWith(ns + ".")))
          .toList();
      if (!topics.isEmpty()) {
        admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
      }
      List<String> groups = admin.listConsumerGroups().all().get(20, TimeUnit.SECONDS).stream()
          .map(ConsumerGroupListing::groupId)
          .filter(g -> done.stream().anyMatch(ns -> g.startsWith(ns + ".")))
          .toList();
      if (!groups.isEmpty()) {
        try {
          admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          // a group whose member has not left yet stays; it holds no data
        }
      }
    }
    namespaces.removeAll(done);
  }
}
