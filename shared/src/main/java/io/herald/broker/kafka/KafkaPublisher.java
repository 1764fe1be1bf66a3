package io.herald.broker.kafka;

import io.herald.async.OnContext;
import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.PublishRefusedException;
import io.herald.event.RecordedEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends events (and dead letters) with one idempotent producer ({@code acks=all}, at most 5 requests in flight per
 * connection, so a partition keeps its order across retries). A send is confirmed when Kafka has written it to every
 * in-sync replica.
 *
 * <p>Records are encoded on the caller's thread (plain CPU work). Kafka's {@code send} may block (waiting for metadata,
 * or for room in a full buffer), so sends run on one worker thread of their own, in call order, a whole list per
 * task; the confirms are counted on the producer's I/O thread, and the caller's future completes once, on its
 * context, when the last one arrived. A list costs one hop to the sender and one back, whatever its length.
 */
final class KafkaPublisher {

  private final Producer<String, byte[]> producer;
  private final WorkerExecutor sender;
  private final KafkaTopics topics;
  private final KafkaBinding binding;
  private final String servers;

  /** Creates the producer: call on a worker thread (resolving the bootstrap servers may block). */
  KafkaPublisher(Vertx vertx, KafkaBrokerOptions options, KafkaTopics topics, KafkaBinding binding, String clientId) {
    this.topics = topics;
    this.binding = binding;
    this.servers = options.bootstrapServers();
    this.producer = new KafkaProducer<>(config(options, clientId), new StringSerializer(), new ByteArraySerializer());
    this.sender = vertx.createSharedWorkerExecutor(clientId, 1, options.publishTimeoutMs() * 2, TimeUnit.MILLISECONDS);
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
    return publishAll(List.of(event));
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
    // encoding is plain CPU work and runs here, on the caller's thread, so it overlaps with the sender's sends
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
    try {
      for (RecordedEvent event : events) {
        records.add(record(event));
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(new BrokerException("cannot encode event at position "
          + events.get(records.size()).position() + " for Kafka: " + e.getMessage(), e));
    }
    if (needed.isEmpty()) {
      return sendAll(records);
    }
    return topics.ensure(needed).compose(v -> sendAll(records));
  }

  /** Sends one record (a dead letter) and waits for its confirm. */
  Future<Void> send(ProducerRecord<String, byte[]> record) {
    return sendAll(List.of(record));
  }

  Future<Void> close(long timeoutMs) {
    return sender.executeBlocking(() -> {
      producer.close(Duration.ofMillis(timeoutMs));
      return null;
    }).<Void>mapEmpty().eventually(sender::close);
  }

  private Future<Void> sendAll(List<ProducerRecord<String, byte[]>> records) {
    Context caller = Vertx.currentContext();
    Confirms confirms = new Confirms();
    sender.<Void>executeBlocking(() -> {
      for (int i = 0; i < records.size(); i++) {
        ProducerRecord<String, byte[]> record = records.get(i);
        try {
          confirms.sending();
          producer.send(record, confirms.callback(i, record.topic()));
        } catch (RuntimeException e) {
          confirms.confirmed();
          confirms.failed(i, failure(record.topic(), e));
          break; // what follows is not sent, so the list's order holds
        }
      }
      confirms.allSent();
      return null;
    }, true).onFailure(err -> {
      confirms.failed(0, failure("?", err));
      confirms.allSent(); // the task did not run
    });
    return OnContext.of(caller, confirms.promise.future());
  }

  private ProducerRecord<String, byte[]> record(RecordedEvent event) {
    KafkaBinding.Encoded encoded = binding.encode(event);
    return new ProducerRecord<>(topics.topicOf(event.envelope().aggregatetype()), null, event.streamId(),
        encoded.value(), encoded.headers());
  }

  private BrokerException failure(String topic, Throwable cause) {
    if (cause instanceof BrokerException be) {
      return be;
    }
    String message = "Kafka (" + servers + ") did not confirm a record for topic '" + topic + "': " + cause.getMessage();
    if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
        || cause instanceof InvalidRecordException) {
      String why = cause instanceof InvalidRecordException ? "invalid record"
          : "larger than the producer's max.request.size or the topic's max.message.bytes";
      return new PublishRefusedException("Kafka (" + servers + ") refused a record for topic '" + topic + "' for good ("
          + why + "): " + cause.getClass().getSimpleName() + " " + String.valueOf(cause.getMessage()).strip(), cause);
    }
    if (cause instanceof RetriableException || cause instanceof IllegalStateException
        || (cause instanceof KafkaException && String.valueOf(cause.getMessage()).contains("closed"))) {
      return new BrokerUnavailableException(message, cause);
    }
    return new BrokerException(message, cause);
  }

  /** Counts the confirms of one list; completes when every sent record is confirmed, with the earliest failure. */
  private final class Confirms {
    final Promise<Void> promise = Promise.promise();
    // one extra count while records are still being sent, so an early confirm cannot complete the list
    private final AtomicInteger outstanding = new AtomicInteger(1);
    private final AtomicReference<Failure> firstFailure = new AtomicReference<>();

    private record Failure(int index, Throwable cause) {
    }

    void sending() {
      outstanding.incrementAndGet();
    }

    Callback callback(int index, String topic) {
      return (metadata, error) -> {
        if (error != null) {
          failed(index, failure(topic, error));
        }
        confirmed();
      };
    }

    void confirmed() {
      if (outstanding.decrementAndGet() == 0) {
        Failure f = firstFailure.get();
        if (f == null) {
          promise.tryComplete();
        } else {
          promise.tryFail(f.cause());
        }
      }
    }

    void allSent() {
      confirmed();
    }

    void failed(int index, Throwable cause) {
      Failure candidate = new Failure(index, cause);
      firstFailure.accumulateAndGet(candidate, (a, b) -> a == null || b.index() < a.index() ? b : a);
      if (outstanding.get() == 0) {
        promise.tryFail(firstFailure.get().cause());
      }
    }
  }
}
