package io.herald.broker.redis;

import static io.herald.options.JsonOptions.requirePositive;
import static io.herald.options.JsonOptions.requireText;

import io.herald.options.JsonOptions;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Settings of the Redis Streams broker, read from the {@code broker.redis} config section.
 *
 * @param connectionString     where Redis is, e.g. {@value #DEFAULT_CONNECTION_STRING}
 * @param namespace            prefix of every key the adapter creates: streams {@code <namespace>.<aggregatetype>},
 *                             the stream registry {@code <namespace>.streams}, {@code <namespace>.groups},
 *                             leases and dead-letter streams; default {@value #DEFAULT_NAMESPACE}
 * @param protocol             {@code resp3} (the client's default) or {@code resp2}; the adapter reads both reply shapes
 * @param maxLen               approximate {@code MAXLEN ~} applied by every XADD, in entries; 0 keeps every entry
 *                             (trim with your own policy); default {@value #DEFAULT_MAX_LEN}
 * @param publishBatchSize     most XADDs sent in one pipelined write, in events; default {@value #DEFAULT_PUBLISH_BATCH_SIZE}
 * @param publishPipeline      most such writes awaiting their replies at a time; default {@value #DEFAULT_PUBLISH_PIPELINE}
 * @param readCount            COUNT of one XREADGROUP, per stream, in entries; default {@value #DEFAULT_READ_COUNT}
 * @param blockMs              BLOCK of one XREADGROUP, in milliseconds; default {@value #DEFAULT_BLOCK_MS}
 * @param maxBufferedPerMember most entries a member holds that are read and not settled; reading pauses at this
 *                             bound and resumes as deliveries are settled; default {@value #DEFAULT_MAX_BUFFERED_PER_MEMBER}
 * @param maxInFlightPerMember most deliveries handed to the handler and not settled at a time (streams handled in
 *                             parallel), in events; default {@value #DEFAULT_MAX_IN_FLIGHT_PER_MEMBER}
 * @param redeliveryBaseMs     delay before a nacked delivery is handed out again (at most), in milliseconds; it
 *                             doubles on each further nack; default {@value #DEFAULT_REDELIVERY_BASE_MS}
 * @param redeliveryCapMs      largest redelivery delay, in milliseconds; default {@value #DEFAULT_REDELIVERY_CAP_MS}
 * @param leaseMs              time to live of a group's lease (one active member per group), in milliseconds; the
 *                             active member renews it every third of that; a standby takes over at most this long
 *                             after the active member died; default {@value #DEFAULT_LEASE_MS}
 * @param claimMinIdleMs       the active member periodically claims entries left pending with another consumer for
 *                             at least this long (XAUTOCLAIM), in milliseconds; must exceed {@code redeliveryCapMs};
 *                             default {@value #DEFAULT_CLAIM_MIN_IDLE_MS}
 * @param discoveryIntervalMs  how often the active member looks for streams of new aggregate types, in
 *                             milliseconds; default {@value #DEFAULT_DISCOVERY_INTERVAL_MS}
 * @param requestTimeoutMs     a command without a reply after this long counts as a lost connection, in
 *                             milliseconds; default {@value #DEFAULT_REQUEST_TIMEOUT_MS}
 * @param reconnectBaseMs      first delay before a member retries after a failure, in milliseconds; doubles with
 *                             jitter; default {@value #DEFAULT_RECONNECT_BASE_MS}
 * @param reconnectCapMs       largest such delay, in milliseconds; default {@value #DEFAULT_RECONNECT_CAP_MS}
 * @param handBackTimeoutMs    how long a member that leaves its group waits for its running handlers (their acks
 *                             still count) before it hands their messages back, so that a stream's next message never
 *                             starts on the next member beside its previous one; in milliseconds; default
 *                             {@value #DEFAULT_HAND_BACK_TIMEOUT_MS}
 */
public record RedisBrokerOptions(String connectionString, String namespace, String protocol, long maxLen,
                                 int publishBatchSize, int publishPipeline, int readCount, long blockMs,
                                 int maxBufferedPerMember, int maxInFlightPerMember, long redeliveryBaseMs,
                                 long redeliveryCapMs, long leaseMs, long claimMinIdleMs, long discoveryIntervalMs,
                                 long requestTimeoutMs, long reconnectBaseMs, long reconnectCapMs, long handBackTimeoutMs) {

  public static final String DEFAULT_CONNECTION_STRING = "redis://127.0.0.1:6379";
  public static final String DEFAULT_NAMESPACE = "events";
  public static final String DEFAULT_PROTOCOL = "resp3";
  public static final long DEFAULT_MAX_LEN = 0;
  public static final int DEFAULT_PUBLISH_BATCH_SIZE = 500;
  public static final int DEFAULT_PUBLISH_PIPELINE = 8;
  public static final int DEFAULT_READ_COUNT = 100;
  public static final long DEFAULT_BLOCK_MS = 2_000;
  public static final int DEFAULT_MAX_BUFFERED_PER_MEMBER = 1_000;
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_MEMBER = 32;
  public static final long DEFAULT_REDELIVERY_BASE_MS = 100;
  public static final long DEFAULT_REDELIVERY_CAP_MS = 10_000;
  public static final long DEFAULT_LEASE_MS = 10_000;
  public static final long DEFAULT_CLAIM_MIN_IDLE_MS = 60_000;
  public static final long DEFAULT_DISCOVERY_INTERVAL_MS = 2_000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
  public static final long DEFAULT_RECONNECT_BASE_MS = 100;
  public static final long DEFAULT_RECONNECT_CAP_MS = 5_000;
  public static final long DEFAULT_HAND_BACK_TIMEOUT_MS = 30_000;

  private static final String PREFIX = "broker.redis.";

  public RedisBrokerOptions {
    requireText(PREFIX + "connectionString", connectionString);
    if (!connectionString.startsWith("redis://") && !connectionString.startsWith("rediss://")) {
      throw new IllegalArgumentException(PREFIX + "connectionString must start with redis:// or rediss://, was '"
          + connectionString + "'");
    }
    requireText(PREFIX + "namespace", namespace);
    for (int i = 0; i < namespace.length(); i++) {
      char c = namespace.charAt(i);
      if (Character.isWhitespace(c) || c == '*' || c == '?' || c == '[' || c == ']') {
        throw new IllegalArgumentException(PREFIX + "namespace must not contain whitespace or glob characters, was '"
            + namespace + "'");
      }
    }
    requireText(PREFIX + "protocol", protocol);
    if (!protocol.equals("resp2") && !protocol.equals("resp3")) {
      throw new IllegalArgumentException(PREFIX + "protocol must be resp2 or resp3, was '" + protocol + "'");
    }
    if (maxLen < 0) {
      throw new IllegalArgumentException(PREFIX + "maxLen must be >= 0 (0: no trimming), was " + maxLen);
    }
    requirePositive(PREFIX + "publishBatchSize", publishBatchSize);
    requirePositive(PREFIX + "publishPipeline", publishPipeline);
    requirePositive(PREFIX + "readCount", readCount);
    requirePositive(PREFIX + "blockMs", blockMs);
    requirePositive(PREFIX + "maxBufferedPerMember", maxBufferedPerMember);
    requirePositive(PREFIX + "maxInFlightPerMember", maxInFlightPerMember);
    requirePositive(PREFIX + "redeliveryBaseMs", redeliveryBaseMs);
    if (redeliveryCapMs < redeliveryBaseMs) {
      throw new IllegalArgumentException(PREFIX + "redeliveryCapMs (" + redeliveryCapMs
          + ") must be >= redeliveryBaseMs (" + redeliveryBaseMs + ")");
    }
    if (leaseMs < 300) {
      throw new IllegalArgumentException(PREFIX + "leaseMs must be >= 300, was " + leaseMs);
    }
    if (claimMinIdleMs <= redeliveryCapMs) {
      throw new IllegalArgumentException(PREFIX + "claimMinIdleMs (" + claimMinIdleMs
          + ") must be > redeliveryCapMs (" + redeliveryCapMs + "), or entries waiting for a local redelivery look stuck");
    }
    requirePositive(PREFIX + "discoveryIntervalMs", discoveryIntervalMs);
    requirePositive(PREFIX + "requestTimeoutMs", requestTimeoutMs);
    requirePositive(PREFIX + "reconnectBaseMs", reconnectBaseMs);
    if (reconnectCapMs < reconnectBaseMs) {
      throw new IllegalArgumentException(PREFIX + "reconnectCapMs (" + reconnectCapMs
          + ") must be >= reconnectBaseMs (" + reconnectBaseMs + ")");
    }
    requirePositive(PREFIX + "handBackTimeoutMs", handBackTimeoutMs);
  }

  public static RedisBrokerOptions defaults() {
    return fromJson(new JsonObject());
  }

  /**
   * Reads the {@code broker.redis} section; absent keys take their defaults.
   *
   * @throws IllegalArgumentException naming the key ({@code broker.redis.<key>}) of an invalid value
   */
  public static RedisBrokerOptions fromJson(JsonObject json) {
    JsonOptions in = JsonOptions.of(json, PREFIX);
    return new RedisBrokerOptions(
        in.string("connectionString", DEFAULT_CONNECTION_STRING),
        in.string("namespace", DEFAULT_NAMESPACE),
        in.string("protocol", DEFAULT_PROTOCOL),
        in.number("maxLen", DEFAULT_MAX_LEN),
        in.integer("publishBatchSize", DEFAULT_PUBLISH_BATCH_SIZE),
        in.integer("publishPipeline", DEFAULT_PUBLISH_PIPELINE),
        in.integer("readCount", DEFAULT_READ_COUNT),
        in.number("blockMs", DEFAULT_BLOCK_MS),
        in.integer("maxBufferedPerMember", DEFAULT_MAX_BUFFERED_PER_MEMBER),
        in.integer("maxInFlightPerMember", DEFAULT_MAX_IN_FLIGHT_PER_MEMBER),
        in.number("redeliveryBaseMs", DEFAULT_REDELIVERY_BASE_MS),
        in.number("redeliveryCapMs", DEFAULT_REDELIVERY_CAP_MS),
        in.number("leaseMs", DEFAULT_LEASE_MS),
        in.number("claimMinIdleMs", DEFAULT_CLAIM_MIN_IDLE_MS),
        in.number("discoveryIntervalMs", DEFAULT_DISCOVERY_INTERVAL_MS),
        in.number("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS),
        in.number("reconnectBaseMs", DEFAULT_RECONNECT_BASE_MS),
        in.number("reconnectCapMs", DEFAULT_RECONNECT_CAP_MS),
        in.number("handBackTimeoutMs", DEFAULT_HAND_BACK_TIMEOUT_MS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("connectionString", connectionString)
        .put("namespace", namespace)
        .put("protocol", protocol)
        .put("maxLen", maxLen)
        .put("publishBatchSize", publishBatchSize)
        .put("publishPipeline", publishPipeline)
        .put("readCount", readCount)
        .put("blockMs", blockMs)
        .put("maxBufferedPerMember", maxBufferedPerMember)
        .put("maxInFlightPerMember", maxInFlightPerMember)
        .put("redeliveryBaseMs", redeliveryBaseMs)
        .put("redeliveryCapMs", redeliveryCapMs)
        .put("leaseMs", leaseMs)
        .put("claimMinIdleMs", claimMinIdleMs)
        .put("discoveryIntervalMs", discoveryIntervalMs)
        .put("requestTimeoutMs", requestTimeoutMs)
        .put("reconnectBaseMs", reconnectBaseMs)
        .put("reconnectCapMs", reconnectCapMs)
        .put("handBackTimeoutMs", handBackTimeoutMs);
  }

  /** @return a copy with another namespace */
  public RedisBrokerOptions withNamespace(String newNamespace) {
    return fromJson(toJson().put("namespace", newNamespace));
  }

  /** @return a copy that reaches Redis at {@code host:port} */
  public RedisBrokerOptions withAddress(String host, int port) {
    return fromJson(toJson().put("connectionString", "redis://" + host + ":" + port));
  }
}
