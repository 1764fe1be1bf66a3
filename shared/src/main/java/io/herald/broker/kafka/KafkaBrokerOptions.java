package io.herald.broker.kafka;

import static io.herald.options.Rule.atLeast;
import static io.herald.options.Rule.atMost;
import static io.herald.options.Rule.matches;
import static io.herald.options.Rule.notBlank;
import static io.herald.options.Rule.positive;

import io.herald.options.OptionsSchema;
import io.vertx.core.json.JsonObject;

/**
 * Settings of the Kafka broker adapter, read from the {@code broker.kafka} config section.
 *
 * @param bootstrapServers     Kafka's {@code bootstrap.servers}, comma-separated {@code host:port}; default
 *                             {@value #DEFAULT_BOOTSTRAP_SERVERS}
 * @param namespace            prefix of every topic and consumer group the adapter uses ({@code <namespace>.order},
 *                             {@code <namespace>.<group>}); lower-case letters, digits, {@code -} and {@code _}; default
 *                             {@value #DEFAULT_NAMESPACE}
 * @param partitions           partitions of the topics the adapter creates; default {@value #DEFAULT_PARTITIONS}
 * @param replicationFactor    replication factor of the topics the adapter creates; default
 *                             {@value #DEFAULT_REPLICATION_FACTOR}
 * @param publishTimeoutMs     how long a publish may wait for Kafka's confirmation before it fails, in milliseconds
 *                             (the producer's {@code delivery.timeout.ms} and {@code max.block.ms}); default
 *                             {@value #DEFAULT_PUBLISH_TIMEOUT_MS}
 * @param lingerMs             how long the producer waits to fill a batch, in milliseconds ({@code linger.ms});
 *                             default {@value #DEFAULT_LINGER_MS}
 * @param pingTimeoutMs        how long {@code ping()} waits for Kafka to describe its cluster, in milliseconds;
 *                             default {@value #DEFAULT_PING_TIMEOUT_MS}
 * @param joinTimeoutMs        how long {@code subscribe()} waits for the member to be assigned its partitions, in
 *                             milliseconds; default {@value #DEFAULT_JOIN_TIMEOUT_MS}
 * @param sessionTimeoutMs     how long Kafka waits for a silent member before giving its partitions to another, in
 *                             milliseconds ({@code session.timeout.ms}); default {@value #DEFAULT_SESSION_TIMEOUT_MS}
 * @param maxBufferedPerMember most messages a member holds unsettled (queued, in flight, waiting for redelivery)
 *                             before it pauses fetching, in messages; default {@value #DEFAULT_MAX_BUFFERED_PER_MEMBER}
 * @param maxInFlightPerMember most deliveries one member hands out unsettled at a time (streams handled in
 *                             parallel); default {@value #DEFAULT_MAX_IN_FLIGHT_PER_MEMBER}
 * @param redeliveryBaseMs     delay before the first local redelivery of a nacked message (at most), in milliseconds;
 *                             it doubles on each further nack; default {@value #DEFAULT_REDELIVERY_BASE_MS}
 * @param redeliveryCapMs      largest redelivery delay, in milliseconds; default {@value #DEFAULT_REDELIVERY_CAP_MS}
 * @param handBackTimeoutMs    how long a member whose partitions are revoked waits for its running handlers before it
 *                             hands them back anyway, in milliseconds; default {@value #DEFAULT_HAND_BACK_TIMEOUT_MS}
 */
public record KafkaBrokerOptions(String bootstrapServers, String namespace, int partitions, int replicationFactor,
                                 long publishTimeoutMs, long lingerMs, long pingTimeoutMs, long joinTimeoutMs,
                                 long sessionTimeoutMs, int maxBufferedPerMember, int maxInFlightPerMember,
                                 long redeliveryBaseMs, long redeliveryCapMs, long handBackTimeoutMs) {

  public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
  public static final String DEFAULT_NAMESPACE = "events";
  public static final int DEFAULT_PARTITIONS = 4;
  public static final int DEFAULT_REPLICATION_FACTOR = 1;
  public static final long DEFAULT_PUBLISH_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_LINGER_MS = 2;
  public static final long DEFAULT_PING_TIMEOUT_MS = 5_000;
  public static final long DEFAULT_JOIN_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_SESSION_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_BUFFERED_PER_MEMBER = 1_000;
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_MEMBER = 64;
  public static final long DEFAULT_REDELIVERY_BASE_MS = 100;
  public static final long DEFAULT_REDELIVERY_CAP_MS = 10_000;
  public static final long DEFAULT_HAND_BACK_TIMEOUT_MS = 30_000;

  private static final OptionsSchema<KafkaBrokerOptions> SCHEMA = OptionsSchema.of(KafkaBrokerOptions.class,
          "broker.kafka")
      .key("bootstrapServers", DEFAULT_BOOTSTRAP_SERVERS, notBlank())
      .key("namespace", DEFAULT_NAMESPACE, matches("[a-z0-9][a-z0-9_-]{0,99}",
          "must be 1 to 100 lower-case letters, digits, '-' or '_' (starting with a letter or digit)"))
      .key("partitions", DEFAULT_PARTITIONS, positive())
      .key("replicationFactor", DEFAULT_REPLICATION_FACTOR, positive(), atMost(Short.MAX_VALUE))
      .key("publishTimeoutMs", DEFAULT_PUBLISH_TIMEOUT_MS, positive())
      .key("lingerMs", DEFAULT_LINGER_MS, atLeast(0))
      .key("pingTimeoutMs", DEFAULT_PING_TIMEOUT_MS, positive())
      .key("joinTimeoutMs", DEFAULT_JOIN_TIMEOUT_MS, positive())
      .key("sessionTimeoutMs", DEFAULT_SESSION_TIMEOUT_MS, positive())
      .key("maxBufferedPerMember", DEFAULT_MAX_BUFFERED_PER_MEMBER, positive())
      .key("maxInFlightPerMember", DEFAULT_MAX_IN_FLIGHT_PER_MEMBER, positive())
      .key("redeliveryBaseMs", DEFAULT_REDELIVERY_BASE_MS, positive())
      .key("redeliveryCapMs", DEFAULT_REDELIVERY_CAP_MS)
      .key("handBackTimeoutMs", DEFAULT_HAND_BACK_TIMEOUT_MS, positive())
      .require("publishTimeoutMs", ">", "lingerMs")
      .require("redeliveryCapMs", ">=", "redeliveryBaseMs")
      .build();

  public KafkaBrokerOptions {
    SCHEMA.check(bootstrapServers, namespace, partitions, replicationFactor, publishTimeoutMs, lingerMs, pingTimeoutMs,
        joinTimeoutMs, sessionTimeoutMs, maxBufferedPerMember, maxInFlightPerMember, redeliveryBaseMs, redeliveryCapMs,
        handBackTimeoutMs);
  }

  public static KafkaBrokerOptions defaults() {
    return fromJson(new JsonObject());
  }

  /**
   * Reads the {@code broker.kafka} section; absent keys take their defaults.
   *
   * @throws IllegalArgumentException naming the key ({@code broker.kafka.<key>}) when a value is invalid or of the
   *     wrong type
   */
  public static KafkaBrokerOptions fromJson(JsonObject json) {
    return SCHEMA.read(json);
  }

  public JsonObject toJson() {
    return SCHEMA.write(this);
  }

  /** @return a copy with another namespace */
  public KafkaBrokerOptions withNamespace(String newNamespace) {
    return SCHEMA.with(this, "namespace", newNamespace);
  }

  /** @return a copy with other bootstrap servers */
  public KafkaBrokerOptions withBootstrapServers(String servers) {
    return SCHEMA.with(this, "bootstrapServers", servers);
  }
}
