package io.herald.broker.kafka;

import io.herald.async.OnContext;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.TypePatterns;
import io.herald.broker.support.ClientFutures;
import io.herald.event.EventRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Topic names and topic creation: {@code <namespace>.<aggregatetype>} per aggregate type, {@code <topic>.DLT} for its
 * dead letters. Topics are created with the admin client (configured partitions and replication) before anything is
 * sent to them, so the broker's auto-creation (one partition) never decides their shape. Thread-safe.
 */
final class KafkaTopics {

  static final String DEAD_LETTER_SUFFIX = ".DLT";

  private final Vertx vertx;
  private final Admin admin;
  private final String namespace;
  private final int partitions;
  private final short replicationFactor;
  private final long timeoutMs;
  private final Map<String, Future<Void>> ensured = new ConcurrentHashMap<>();
  private final Map<String, String> names = new ConcurrentHashMap<>();

  KafkaTopics(Vertx vertx, Admin admin, KafkaBrokerOptions options) {
    this.vertx = vertx;
    this.admin = admin;
    this.namespace = options.namespace();
    this.partitions = options.partitions();
    this.replicationFactor = (short) options.replicationFactor();
    this.timeoutMs = options.publishTimeoutMs();
  }

  // A new topic's partitions take a moment to be loaded by their leader after it is created, and describeTopics may
  // already name the leader before that. A produce request in that window fails with NOT_LEADER_OR_FOLLOWER, and
  // kafka-clients 3.7 was seen to hold such a batch until delivery.timeout.ms. Asking each partition's leader for
  // its end offset succeeds only once the partition is really there.
  private void awaitLeaders(String topic, long deadline, Promise<Void> promise) {
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    int timeout = (int) Math.max(100, Math.min(2_000, (deadline - System.nanoTime()) / 1_000_000));
    admin.listOffsets(ends, new ListOffsetsOptions().timeoutMs(timeout)).all().whenComplete((offsets, error) -> {
      if (error == null || System.nanoTime() > deadline) {
        promise.complete(); // past the deadline the producer's own retries take over
      } else {
        vertx.setTimer(50, t -> awaitLeaders(topic, deadline, promise));
      }
    });
  }

  /** @return the topic events of an aggregate type are published to */
  String topicOf(String aggregateType) {
    return names.computeIfAbsent(aggregateType, type -> namespace + "." + type);
  }

  static String deadLetterTopicOf(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }

  /** @return the consumer group id of a Herald group */
  String groupId(String group) {
    return namespace + "." + group;
  }

  /** @return the topics of every registered aggregate type that has an event type the patterns match, sorted */
  List<String> topicsFor(EventRegistry registry, TypePatterns patterns) {
    Set<String> topics = new TreeSet<>();
    for (EventRegistry.Registration registration : registry.registrations()) {
      if (patterns.matches(registration.type())) {
        topics.add(topicOf(registration.aggregateType()));
      }
    }
    return List.copyOf(topics);
  }

  /** @return whether the topic is known to exist (created or found by this adapter), so a send need not wait */
  boolean isEnsured(String topic) {
    Future<Void> f = ensured.get(topic);
    return f != null && f.succeeded();
  }

  /**
   * Creates the topics that do not exist yet; a topic that already exists is left as it is.
   *
   * @return completes on the caller's context; fails with {@link BrokerUnavailableException} when Kafka does not answer
   */
  Future<Void> ensure(Collection<String> topics) {
    Context caller = Vertx.currentContext();
    List<Future<Void>> all = new ArrayList<>();
    List<NewTopic> missing = new ArrayList<>();
    Map<String, Promise<Void>> created = new HashMap<>();
    for (String topic : topics) {
      Promise<Void> promise = Promise.promise();
      Future<Void> current = ensured.compute(topic, (k, known) -> known != null && !known.failed() ? known : promise.future());
      all.add(current);
      if (current == promise.future()) {
        created.put(topic, promise);
        missing.add(new NewTopic(topic, partitions, replicationFactor));
      }
    }
    if (!missing.isEmpty()) {
      CreateTopicsResult result = admin.createTopics(missing, new CreateTopicsOptions().timeoutMs((int) Math.min(timeoutMs, Integer.MAX_VALUE)));
      long deadline = System.nanoTime() + timeoutMs * 1_000_000;
      result.values().forEach((topic, future) -> future.whenComplete((v, error) -> {
        Throwable cause = ClientFutures.unwrap(error);
        Promise<Void> promise = created.get(topic);
        if (cause instanceof TopicExistsException) {
          promise.complete();
        } else if (cause == null) {
          awaitLeaders(topic, deadline, promise);
        } else {
          ensured.remove(topic, promise.future());
          promise.fail(new BrokerUnavailableException("cannot create Kafka topic '" + topic + "': " + cause.getMessage(), cause));
        }
      }));
    }
    Future<Void> done = Future.all(all).mapEmpty();
    return done.isComplete() ? done : OnContext.of(caller, done);
  }
}
