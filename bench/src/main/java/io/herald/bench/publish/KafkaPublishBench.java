package io.herald.bench.publish;

import io.herald.broker.kafka.KafkaBroker;
import io.herald.broker.kafka.KafkaBrokerOptions;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka's side of the publish benchmark. Both sides publish with {@code acks=all} and idempotence on, the same
 * {@code linger.ms} and batch size, keyed records over the same number of partitions, and create their topics before
 * the clock starts. Herald publishes with {@code publishAll} in chunks, several chunks in flight; the raw side calls
 * {@code KafkaProducer.send} for every payload from one worker thread and counts the confirms.
 */
public final class KafkaPublishBench implements PublishBench {

  /** events per {@code publishAll} call */
  static final int CHUNK = 2_000;
  /** {@code publishAll} calls in flight */
  static final int WINDOW = 8;
  /** distinct record keys on the raw side, like the streams of the events */
  static final int RAW_KEYS = 100;

  private final KafkaBrokerOptions options;
  private final EventRegistry registry;

  public KafkaPublishBench() {
    this(KafkaBrokerOptions.defaults(), BlueprintEvents.registry());
  }

  /** @param options where Kafka is and how to publish (the namespace is replaced by each run's own) */
  public KafkaPublishBench(KafkaBrokerOptions options, EventRegistry registry) {
    this.options = options;
    this.registry = registry;
  }

  @Override
  public String broker() {
    return "kafka";
  }

  @Override
  public Future<Long> viaHerald(Vertx vertx, String namespace, List<RecordedEvent> events) {
    KafkaBroker broker = new KafkaBroker(vertx, options.withNamespace(namespace), registry);
    Set<String> aggregateTypes = events.stream().map(e -> e.envelope().aggregatetype()).collect(Collectors.toSet());
    return broker.start()
        .compose(v -> broker.createTopics(aggregateTypes))
        .compose(v -> {
          long t0 = System.nanoTime();
          return inWindows(broker, events).map(done -> System.nanoTime() - t0);
        })
        .eventually(() -> broker.close());
  }

  // keeps WINDOW chunks in flight: the next chunk starts when one completes, in list order
  private static Future<Void> inWindows(KafkaBroker broker, List<RecordedEvent> events) {
    Promise<Void> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    int chunks = (events.size() + CHUNK - 1) / CHUNK;
    if (chunks == 0) {
      return Future.succeededFuture();
    }
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      while (running.get() < WINDOW && next.get() < chunks) {
        int chunk = next.getAndIncrement();
        running.incrementAndGet();
        List<RecordedEvent> slice = events.subList(chunk * CHUNK, Math.min(events.size(), (chunk + 1) * CHUNK));
        broker.publishAll(slice).onComplete(ar -> {
          running.decrementAndGet();
          if (ar.failed()) {
            done.tryFail(ar.cause());
          } else if (next.get() >= chunks && running.get() == 0) {
            done.tryComplete();
          } else {
            launch[0].run();
          }
        });
      }
    };
    launch[0].run();
    return done.future();
  }

  // the adapter waits until a new topic's partitions answer before its first send; so does the raw side
  private void awaitPartitions(Admin admin, String topic) throws InterruptedException {
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (int p = 0; p < options.partitions(); p++) {
      ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        admin.listOffsets(ends).all().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        Thread.sleep(50);
      }
    }
  }

  @Override
  public Future<Long> viaRawClient(Vertx vertx, String namespace, List<Buffer> payloads) {
    String topic = namespace + ".raw";
    return vertx.executeBlocking(() -> {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, options.partitions(), (short) options.replicationFactor())))
            .all().get(30, TimeUnit.SECONDS);
        awaitPartitions(admin, topic);
      }
      Properties config = new Properties();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
      config.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(options.lingerMs()));
      config.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
        AtomicInteger confirmed = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Object lock = new Object();
        long t0 = System.nanoTime();
        for (int i = 0; i < payloads.size(); i++) {
          producer.send(new ProducerRecord<>(topic, Integer.toString(i % RAW_KEYS), payloads.get(i).getBytes()), (md, err) -> {
            if (err != null) {
              failure.compareAndSet(null, err);
            }
            if (confirmed.incrementAndGet() == payloads.size()) {
              synchronized (lock) {
                lock.notifyAll();
              }
            }
          });
        }
        synchronized (lock) {
          while (confirmed.get() < payloads.size()) {
            lock.wait(1_000);
          }
        }
        long elapsed = System.nanoTime() - t0;
        if (failure.get() != null) {
          throw failure.get();
        }
        return elapsed;
      }
    }, false);
  }
}
