package io.herald.broker.kafka;

import io.herald.async.OnContext;
import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.RawMessage;
import io.herald.broker.TypePatterns;
import io.herald.broker.support.AbstractBroker;
import io.herald.broker.support.ClientFutures;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka adapter. Each aggregate type has a topic, {@code <namespace>.<aggregatetype>}, created by the adapter
 * with {@link KafkaBrokerOptions#partitions()} partitions; the record key is the event's stream id, so one stream
 * stays in one partition, in order. Events travel in the CloudEvents Kafka binding, binary mode ({@code ce_*}
 * headers, the data JSON as the value), readable by any CloudEvents consumer.
 *
 * <p><b>Publishing.</b> One idempotent producer with {@code acks=all}: a publish is confirmed when every in-sync
 * replica has the record. {@link #publishAll} sends the whole list at once and waits for every confirm; the
 * idempotent producer keeps each partition in list order, retries included. A failed {@code publishAll} may have
 * delivered events after the failed one (in other partitions): a retry from the failed one duplicates them, it never
 * loses one.
 *
 * <p><b>Consuming.</b> A group is the Kafka consumer group {@code <namespace>.<group>}, subscribed to the topics of
 * the aggregate types that have a registered event type its patterns match; records of other types are acked
 * without being delivered. See {@link KafkaMember} for offsets, start positions, rebalances and buffering.
 * Dead letters go to {@code <topic>.DLT}.
 *
 * <p><b>Availability.</b> Kafka's clients connect lazily and reconnect by themselves with backoff, so {@link #start}
 * succeeds even while Kafka is down (it logs a warning), and publishing and consuming resume on their own when it
 * returns. {@link #ping} asks Kafka to describe its cluster within {@link KafkaBrokerOptions#pingTimeoutMs()}; a
 * publish that Kafka does not confirm within {@link KafkaBrokerOptions#publishTimeoutMs()} fails with
 * {@link BrokerUnavailableException}.
 *
 * <p><b>Threads.</b> Every future completes on the caller's context. Clients are created on a worker thread; each
 * member polls on a thread of its own; nothing blocks an event loop.
 */
public final class KafkaBroker extends AbstractBroker<KafkaMember, KafkaBrokerOptions> {

  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
  private static final long CLOSE_TIMEOUT_MS = 5_000;

  private final EventRegistry registry;
  private final KafkaBinding binding;
  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private volatile Admin admin;
  private volatile KafkaTopics topics;
  private volatile KafkaPublisher publisher;
  private volatile KafkaDeadLetters deadLetters;

  /** Creates a broker with {@link KafkaBrokerOptions#defaults()}. */
  public KafkaBroker(Vertx vertx, EventRegistry registry) {
    this(vertx, KafkaBrokerOptions.defaults(), registry);
  }

  /** @param registry the event types: for the binding, and for the topics a group's patterns can match */
  public KafkaBroker(Vertx vertx, KafkaBrokerOptions options, EventRegistry registry) {
    super(vertx, options);
    this.registry = Objects.requireNonNull(registry, "registry");
    this.binding = new KafkaBinding(registry);
  }

  @Override
  public String name() {
    return "kafka " + options.bootstrapServers() + " (" + options.namespace() + ")";
  }

  /**
   * Creates the producer and the admin client (on a worker thread) and checks that Kafka answers; succeeds even when
   * it does not (logged as a warning): the clients keep trying to connect.
   */
  @Override
  protected Future<Void> open() {
    return vertx.<Void>executeBlocking(() -> {
      String clientId = "herald-" + options.namespace() + "-" + instance;
      admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
          AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin",
          AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100",
          AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000"));
      topics = new KafkaTopics(vertx, admin, options);
      publisher = new KafkaPublisher(vertx, options, topics, binding, clientId + "-producer");
      deadLetters = new KafkaDeadLetters(topics, publisher);
      return null;
    }, false).compose(v -> clusterId().transform(ar -> {
      if (ar.succeeded()) {
        log.info("broker '{}': Kafka cluster {} answers", name(), ar.result());
      } else {
        log.warn("broker '{}': Kafka does not answer yet; its clients keep trying: {}", name(), ar.cause().getMessage());
      }
      return Future.<Void>succeededFuture();
    }));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Creates the aggregate type's topic first when this adapter has not seen it yet. Fails with
   * {@link BrokerUnavailableException} when not started, closed, or not confirmed within
   * {@link KafkaBrokerOptions#publishTimeoutMs()}, and with {@link BrokerException} when Kafka rejects the record.
   */
  @Override
  public Future<Void> publish(RecordedEvent event) {
    Objects.requireNonNull(event, "event");
    return whenStarted(() -> OnContext.of(Vertx.currentContext(), publisher.publish(event)));
  }

  /** {@inheritDoc} Sends the whole list at once; see the class comment for what a failure means. */
  @Override
  public Future<Void> publishAll(List<RecordedEvent> events) {
    Objects.requireNonNull(events, "events");
    return whenStarted(() -> OnContext.of(Vertx.currentContext(), publisher.publishAll(events)));
  }

  /**
   * Creates the group's topics when missing, joins the Kafka consumer group and completes once this member has its
   * first assignment (and, for a new group, once its start positions are committed). Fails with
   * {@link IllegalArgumentException} when no registered event type matches the patterns, and with
   * {@link BrokerUnavailableException} when not assigned within {@link KafkaBrokerOptions#joinTimeoutMs()}.
   */
  @Override
  protected Future<KafkaMember> join(String group, TypePatterns patterns, DeliveryHandler handler, Context memberContext) {
    List<String> groupTopics = topics.topicsFor(registry, patterns);
    if (groupTopics.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("no registered event type matches " + patterns
          + ", so group '" + group + "' would receive nothing"));
    }
    String groupId = topics.groupId(group);
    return topics.ensure(groupTopics)
        .compose(v -> isNewGroup(groupId))
        .compose(isNew -> {
          KafkaMember member = new KafkaMember(vertx, memberContext, options, group, groupId, groupTopics,
              patterns, handler, binding, deadLetters, isNew);
          track(member);   // a close meanwhile closes it too
          return withTimeout(member.start(), group).transform(ar -> {
            if (ar.succeeded()) {
              // leaving waits for running handlers, commits what was acked and hands back the rest to the next owner
              return Future.succeededFuture(member);
            }
            untrack(member);
            return member.close().transform(closed -> Future.failedFuture(ar.cause()));
          });
        });
  }

  @Override
  protected void validateGroup(String group) {
    if (group == null || group.isBlank()) {
      throw new IllegalArgumentException("group must not be blank");
    }
  }

  /**
   * Creates the topics of the given aggregate types now rather than on their first publish (for deployments that
   * prepare topics ahead, and for benchmarks); topics that exist are left as they are.
   *
   * @return completes on the caller's context; fails with {@link BrokerUnavailableException} when not started or
   *     when Kafka does not answer within {@link KafkaBrokerOptions#publishTimeoutMs()}
   */
  public Future<Void> createTopics(Collection<String> aggregateTypes) {
    Objects.requireNonNull(aggregateTypes, "aggregateTypes");
    return whenStarted(() -> topics.ensure(aggregateTypes.stream().map(topics::topicOf).toList()));
  }

  @Override
  public RecordedEvent decode(RawMessage message) {
    Objects.requireNonNull(message, "message");
    return binding.decode(message.headers(), message.payload().getBytes());
  }

  /** @return succeeds when started and Kafka described its cluster within {@link KafkaBrokerOptions#pingTimeoutMs()} */
  @Override
  public Future<Void> ping() {
    return whenStarted(() -> OnContext.of(Vertx.currentContext(), clusterId().mapEmpty()));
  }

  /** Closes the producer and the admin client, once every member is closed (committing what was acked). */
  @Override
  protected Future<Void> closeClients() {
    KafkaPublisher p = publisher;
    Admin a = admin;
    return (p == null ? Future.<Void>succeededFuture() : p.close(CLOSE_TIMEOUT_MS))
        .transform(ar -> a == null ? Future.<Void>succeededFuture() : vertx.<Void>executeBlocking(() -> {
          a.close(Duration.ofMillis(CLOSE_TIMEOUT_MS));
          return null;
        }, false))
        .recover(e -> Future.succeededFuture());
  }

  private Future<String> clusterId() {
    Admin a = admin;
    return ClientFutures.of(Vertx.currentContext(), () -> a.describeCluster(new DescribeClusterOptions()
            .timeoutMs((int) Math.min(options.pingTimeoutMs(), Integer.MAX_VALUE))).clusterId().toCompletionStage())
        .recover(err -> Future.failedFuture(new BrokerUnavailableException("Kafka (" + options.bootstrapServers()
            + ") did not answer within " + options.pingTimeoutMs() + " ms: " + err.getMessage(), err)));
  }

  // a group without any committed offset is new: its first member commits the end offsets before reading
  private Future<Boolean> isNewGroup(String groupId) {
    return ClientFutures.of(Vertx.currentContext(), () -> admin.listConsumerGroupOffsets(groupId,
                new ListConsumerGroupOffsetsOptions().timeoutMs((int) Math.min(options.joinTimeoutMs(), Integer.MAX_VALUE)))
            .partitionsToOffsetAndMetadata().toCompletionStage())
        .map(offsets -> offsets.values().stream().allMatch(Objects::isNull))
        .recover(err -> err instanceof GroupIdNotFoundException ? Future.succeededFuture(true)
            : Future.failedFuture(new BrokerUnavailableException("cannot read the offsets of consumer group '" + groupId
                + "' from Kafka (" + options.bootstrapServers() + "): " + err.getMessage(), err)));
  }

  private Future<Void> withTimeout(Future<Void> assigned, String group) {
    Promise<Void> promise = Promise.promise();
    long timer = vertx.setTimer(options.joinTimeoutMs(), t -> promise.tryFail(new BrokerUnavailableException(
        "consumer group '" + group + "' was not assigned its partitions within " + options.joinTimeoutMs() + " ms")));
    assigned.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        promise.tryComplete();
      } else {
        promise.tryFail(ar.cause());
      }
    });
    return promise.future();
  }
}
