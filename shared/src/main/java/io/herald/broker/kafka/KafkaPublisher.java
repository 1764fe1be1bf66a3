package io.herald.broker.kafka;

import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends events (and dead letters) with one idempotent producer ({@code acks=all}, at most 5 requests in flight per
 * connection, so a partition keeps its order across retries). A send is confirmed when Kafka has written it to every
 * in-sync replica. The Vert.x write stream hands each send to an ordered worker, so a send that waits for metadata
 * never blocks an event loop, and completes the future on the caller's context.
 */
final class KafkaPublisher {

  private final KafkaWriteStream<String, byte[]> producer;
  private final KafkaTopics topics;
  private final KafkaCloudEvents binding;
  private final String servers;

  KafkaPublisher(Vertx vertx, KafkaBrokerOptions options, KafkaTopics topics, KafkaCloudEvents binding, String clientId) {
    this.topics = topics;
    this.binding = binding;
    this.servers = options.bootstrapServers();
    this.producer = KafkaWriteStream.create(vertx, config(options, clientId), new StringSerializer(), new ByteArraySerializer());
  }

  static Map<String, Object> config(KafkaBrokerOptions options, String clientId) {
    long requestTimeout = Math.max(1, Math.min(30_000, options.publishTimeoutMs() - options.lingerMs()));
    return Map.ofEntries(
        Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers()),
        Map.entry(ProducerConfig.CLIENT_ID_CONFIG, clientId),
        Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
        Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
        Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"),
        Map.entry(ProducerConfig.LINGER_MS_CONFIG, Long.toString(options.lingerMs())),
        Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, "65536"),
        Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeout)),
        Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(options.publishTimeoutMs())),
        Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(options.publishTimeoutMs())),
        Map.entry(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "100"),
        Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000"));
  }

  Future<Void> publish(RecordedEvent event) {
    String topic = topics.topicOf(event.envelope().aggregatetype());
    if (topics.isEnsured(topic)) {
      return send(record(topic, event));
    }
    return topics.ensure(List.of(topic)).compose(v -> send(record(topic, event)));
  }

  /** Sends every event at once and waits for all confirms; the producer keeps each partition in list order. */
  Future<Void> publishAll(List<RecordedEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<String> needed = new LinkedHashSet<>();
    for (RecordedEvent event : events) {
      String topic = topics.topicOf(event.envelope().aggregatetype());
      if (!topics.isEnsured(topic)) {
        needed.add(topic);
      }
    }
    if (needed.isEmpty()) {
      return sendAll(events);
    }
    return topics.ensure(needed).compose(v -> sendAll(events));
  }

  private Future<Void> sendAll(List<RecordedEvent> events) {
    List<Future<Void>> confirms = new ArrayList<>(events.size());
    for (RecordedEvent event : events) {
      confirms.add(send(record(topics.topicOf(event.envelope().aggregatetype()), event)));
    }
    return Future.all(confirms).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture();
      }
      for (Future<Void> confirm : confirms) { // report the first failure in list order
        if (confirm.failed()) {
          return Future.failedFuture(confirm.cause());
        }
      }
      return Future.failedFuture(ar.cause());
    });
  }

  /** Sends one record and maps the producer's failures onto the broker's typed failures. */
  Future<Void> send(ProducerRecord<String, byte[]> record) {
    Future<?> sent;
    try {
      sent = producer.send(record);
    } catch (RuntimeException e) {
      return Future.failedFuture(failure(record.topic(), e));
    }
    return sent.transform(ar -> ar.succeeded() ? Future.succeededFuture()
        : Future.failedFuture(failure(record.topic(), ar.cause())));
  }

  Future<Void> close(long timeoutMs) {
    return producer.close(timeoutMs);
  }

  private ProducerRecord<String, byte[]> record(String topic, RecordedEvent event) {
    KafkaCloudEvents.Encoded encoded = binding.encode(event);
    return new ProducerRecord<>(topic, null, event.streamId(), encoded.value(), encoded.headers());
  }

  private BrokerException failure(String topic, Throwable cause) {
    if (cause instanceof BrokerException be) {
      return be;
    }
    String message = "Kafka (" + servers + ") did not confirm a record for topic '" + topic + "': " + cause.getMessage();
    if (cause instanceof RetriableException || cause instanceof IllegalStateException
        || (cause instanceof KafkaException && String.valueOf(cause.getMessage()).contains("closed"))) {
      return new BrokerUnavailableException(message, cause);
    }
    return new BrokerException(message, cause);
  }
}
