package io.herald.broker.redis;

import static io.herald.options.Rule.atLeast;
import static io.herald.options.Rule.matches;
import static io.herald.options.Rule.notBlank;
import static io.herald.options.Rule.oneOf;
import static io.herald.options.Rule.positive;
import static io.herald.options.Rule.startsWith;

import io.herald.options.OptionsSchema;
import io.vertx.core.json.JsonObject;

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

  private static final OptionsSchema<RedisBrokerOptions> SCHEMA = OptionsSchema.of(RedisBrokerOptions.class,
          "broker.redis")
      .key("connectionString", DEFAULT_CONNECTION_STRING, notBlank(), startsWith("redis://", "rediss://"))
      .key("namespace", DEFAULT_NAMESPACE, notBlank(),
          matches("[^\\p{javaWhitespace}*?\\[\\]]*", "must not contain whitespace or glob characters"))
      .key("protocol", DEFAULT_PROTOCOL, notBlank(), oneOf("resp2", "resp3"))
      .key("maxLen", DEFAULT_MAX_LEN, atLeast(0))
      .key("publishBatchSize", DEFAULT_PUBLISH_BATCH_SIZE, positive())
      .key("publishPipeline", DEFAULT_PUBLISH_PIPELINE, positive())
      .key("readCount", DEFAULT_READ_COUNT, positive())
      .key("blockMs", DEFAULT_BLOCK_MS, positive())
      .key("maxBufferedPerMember", DEFAULT_MAX_BUFFERED_PER_MEMBER, positive())
      .key("maxInFlightPerMember", DEFAULT_MAX_IN_FLIGHT_PER_MEMBER, positive())
      .key("redeliveryBaseMs", DEFAULT_REDELIVERY_BASE_MS, positive())
      .key("redeliveryCapMs", DEFAULT_REDELIVERY_CAP_MS)
      .key("leaseMs", DEFAULT_LEASE_MS, atLeast(300))
      .key("claimMinIdleMs", DEFAULT_CLAIM_MIN_IDLE_MS)
      .key("discoveryIntervalMs", DEFAULT_DISCOVERY_INTERVAL_MS, positive())
      .key("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS, positive())
      .key("reconnectBaseMs", DEFAULT_RECONNECT_BASE_MS, positive())
      .key("reconnectCapMs", DEFAULT_RECONNECT_CAP_MS)
      .key("handBackTimeoutMs", DEFAULT_HAND_BACK_TIMEOUT_MS, positive())
      .require("redeliveryCapMs", ">=", "redeliveryBaseMs")
      .require("claimMinIdleMs", ">", "redeliveryCapMs", "or entries waiting for a local redelivery look stuck")
      .require("reconnectCapMs", ">=", "reconnectBaseMs")
      .build();

  public RedisBrokerOptions {
    SCHEMA.check(connectionString, namespace, protocol, maxLen, publishBatchSize, publishPipeline, readCount, blockMs,
        maxBufferedPerMember, maxInFlightPerMember, redeliveryBaseMs, redeliveryCapMs, leaseMs, claimMinIdleMs,
        discoveryIntervalMs, requestTimeoutMs, reconnectBaseMs, reconnectCapMs, handBackTimeoutMs);
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
    return SCHEMA.read(json);
  }

  public JsonObject toJson() {
    return SCHEMA.write(this);
  }

  /** @return a copy with another namespace */
  public RedisBrokerOptions withNamespace(String newNamespace) {
    return SCHEMA.with(this, "namespace", newNamespace);
  }

  /** @return a copy that reaches Redis at {@code host:port} */
  public RedisBrokerOptions withAddress(String host, int port) {
    return SCHEMA.with(this, "connectionString", "redis://" + host + ":" + port);
  }
}
