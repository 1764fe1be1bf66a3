package io.herald.broker.kafka;

import static io.herald.options.JsonOptions.requirePositive;

import io.herald.options.JsonOptions;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.regex.Pattern;

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

  private static final String PREFIX = "broker.kafka.";
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  public KafkaBrokerOptions {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(PREFIX + "bootstrapServers must not be blank");
    }
    if (namespace == null || !NAMESPACE.matcher(namespace).matches() || namespace.length() > 100) {
      throw new IllegalArgumentException(PREFIX + "namespace must be 1 to 100 lower-case letters, digits, '-' or '_'"
          + " (starting with a letter or digit), was '" + namespace + "'");
    }
    requirePositive(PREFIX + "partitions", partitions);
    requirePositive(PREFIX + "replicationFactor", replicationFactor);
    if (replicationFactor > Short.MAX_VALUE) {
      throw new IllegalArgumentException(PREFIX + "replicationFactor must be <= " + Short.MAX_VALUE + ", was " + replicationFactor);
    }
    requirePositive(PREFIX + "publishTimeoutMs", publishTimeoutMs);
    if (lingerMs < 0) {
      throw new IllegalArgumentException(PREFIX + "lingerMs must be >= 0, was " + lingerMs);
    }
    if (publishTimeoutMs <= lingerMs) {
      throw new IllegalArgumentException(PREFIX + "publishTimeoutMs (" + publishTimeoutMs + ") must be > lingerMs ("
          + lingerMs + ")");
    }
    requirePositive(PREFIX + "pingTimeoutMs", pingTimeoutMs);
    requirePositive(PREFIX + "joinTimeoutMs", joinTimeoutMs);
    requirePositive(PREFIX + "sessionTimeoutMs", sessionTimeoutMs);
    requirePositive(PREFIX + "maxBufferedPerMember", maxBufferedPerMember);
    requirePositive(PREFIX + "maxInFlightPerMember", maxInFlightPerMember);
    requirePositive(PREFIX + "redeliveryBaseMs", redeliveryBaseMs);
    if (redeliveryCapMs < redeliveryBaseMs) {
      throw new IllegalArgumentException(PREFIX + "redeliveryCapMs (" + redeliveryCapMs
          + ") must be >= redeliveryBaseMs (" + redeliveryBaseMs + ")");
    }
    requirePositive(PREFIX + "handBackTimeoutMs", handBackTimeoutMs);
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
    JsonOptions in = JsonOptions.of(json, PREFIX);
    return new KafkaBrokerOptions(
        in.string("bootstrapServers", DEFAULT_BOOTSTRAP_SERVERS),
        in.string("namespace", DEFAULT_NAMESPACE),
        in.integer("partitions", DEFAULT_PARTITIONS),
        in.integer("replicationFactor", DEFAULT_REPLICATION_FACTOR),
        in.number("publishTimeoutMs", DEFAULT_PUBLISH_TIMEOUT_MS),
        in.number("lingerMs", DEFAULT_LINGER_MS),
        in.number("pingTimeoutMs", DEFAULT_PING_TIMEOUT_MS),
        in.number("joinTimeoutMs", DEFAULT_JOIN_TIMEOUT_MS),
        in.number("sessionTimeoutMs", DEFAULT_SESSION_TIMEOUT_MS),
        in.integer("maxBufferedPerMember", DEFAULT_MAX_BUFFERED_PER_MEMBER),
        in.integer("maxInFlightPerMember", DEFAULT_MAX_IN_FLIGHT_PER_MEMBER),
        in.number("redeliveryBaseMs", DEFAULT_REDELIVERY_BASE_MS),
        in.number("redeliveryCapMs", DEFAULT_REDELIVERY_CAP_MS),
        in.number("handBackTimeoutMs", DEFAULT_HAND_BACK_TIMEOUT_MS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("bootstrapServers", bootstrapServers)
        .put("namespace", namespace)
        .put("partitions", partitions)
        .put("replicationFactor", replicationFactor)
        .put("publishTimeoutMs", publishTimeoutMs)
        .put("lingerMs", lingerMs)
        .put("pingTimeoutMs", pingTimeoutMs)
        .put("joinTimeoutMs", joinTimeoutMs)
        .put("sessionTimeoutMs", sessionTimeoutMs)
        .put("maxBufferedPerMember", maxBufferedPerMember)
        .put("maxInFlightPerMember", maxInFlightPerMember)
        .put("redeliveryBaseMs", redeliveryBaseMs)
        .put("redeliveryCapMs", redeliveryCapMs)
        .put("handBackTimeoutMs", handBackTimeoutMs);
  }

  /** @return a copy with another namespace */
  public KafkaBrokerOptions withNamespace(String newNamespace) {
    return fromJson(toJson().put("namespace", newNamespace));
  }

  /** @return a copy with other bootstrap servers */
  public KafkaBrokerOptions withBootstrapServers(String servers) {
    return fromJson(toJson().put("bootstrapServers", servers));
  }
}
