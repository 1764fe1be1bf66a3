package io.herald.broker.nats;

import static io.herald.options.Rule.atLeast;
import static io.herald.options.Rule.matches;
import static io.herald.options.Rule.notBlank;
import static io.herald.options.Rule.positive;

import io.herald.options.OptionsSchema;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Settings of the NATS JetStream broker, read from the {@code broker.nats} config section.
 *
 * @param servers                 NATS server URLs ({@code nats://host:port}); a comma-separated string in config;
 *                                default {@value #DEFAULT_SERVERS}
 * @param namespace               prefix of every stream, subject, bucket and consumer subject the broker creates:
 *                                stream {@code EVENTS} on {@code events.>}; letters, digits, {@code -} and
 *                                {@code _}; default {@value #DEFAULT_NAMESPACE}
 * @param replicas                JetStream replicas of the streams and the lease bucket; default {@value #DEFAULT_REPLICAS}
 * @param maxAgeSeconds           how long the event stream keeps a message, in seconds; 0 keeps it until the
 *                                stream's other limits; default {@value #DEFAULT_MAX_AGE_SECONDS} (7 days)
 * @param deadLetterMaxAgeSeconds how long the dead-letter stream keeps a message, in seconds; 0 forever; default
 *                                {@value #DEFAULT_DEAD_LETTER_MAX_AGE_SECONDS} (30 days)
 * @param duplicateWindowSeconds  window in which the server drops a second publish of the same event id
 *                                ({@code Nats-Msg-Id}), in seconds; default {@value #DEFAULT_DUPLICATE_WINDOW_SECONDS}
 * @param connectTimeoutMs        how long one connection attempt may take, in milliseconds; default
 *                                {@value #DEFAULT_CONNECT_TIMEOUT_MS}
 * @param reconnectWaitMs         pause between two reconnection attempts after an outage, in milliseconds (the
 *                                client reconnects forever); default {@value #DEFAULT_RECONNECT_WAIT_MS}
 * @param requestTimeoutMs        longest wait for an answer to a management call, a ping, an ack or a lease
 *                                renewal, in milliseconds; default {@value #DEFAULT_REQUEST_TIMEOUT_MS}
 * @param publishTimeoutMs        a publish not acknowledged by JetStream within this long fails, in milliseconds;
 *                                default {@value #DEFAULT_PUBLISH_TIMEOUT_MS}
 * @param publishWindow           most unacknowledged publishes {@code publishAll} keeps in flight, in events;
 *                                default {@value #DEFAULT_PUBLISH_WINDOW}
 * @param ackWaitMs               how long JetStream waits for an ack before redelivering, in milliseconds; held
 *                                messages are kept alive with "in progress" every third of it; must exceed
 *                                {@code redeliveryCapMs}; default {@value #DEFAULT_ACK_WAIT_MS}
 * @param maxAckPending           most unacked messages a consumer group's durable consumer hands out, in messages;
 *                                default {@value #DEFAULT_MAX_ACK_PENDING}
 * @param fetchBatch              most messages one pull request asks for, in messages; default
 *                                {@value #DEFAULT_FETCH_BATCH}
 * @param fetchWaitMs             how long a pull request waits for messages, in milliseconds (at least 1000);
 *                                default {@value #DEFAULT_FETCH_WAIT_MS}
 * @param maxBufferedPerMember    fetching pauses while a member holds this many unsettled messages, in messages;
 *                                at most {@code maxAckPending}; default {@value #DEFAULT_MAX_BUFFERED_PER_MEMBER}
 * @param maxInFlightPerMember    most deliveries a member's handler has at a time (streams handled in parallel);
 *                                default {@value #DEFAULT_MAX_IN_FLIGHT_PER_MEMBER}
 * @param redeliveryBaseMs        delay before the first local redelivery of a nacked delivery (at most), in
 *                                milliseconds; doubles on each further nack; default {@value #DEFAULT_REDELIVERY_BASE_MS}
 * @param redeliveryCapMs         largest redelivery delay, in milliseconds; default {@value #DEFAULT_REDELIVERY_CAP_MS}
 * @param leaseMs                 (config key {@code leaseTtlMs}, kept) a group's active member holds a lease that
 *                                expires after this long unless renewed (every third of it); a standby member takes
 *                                over within about this long after the active one vanished, in milliseconds; default
 *                                {@value #DEFAULT_LEASE_TTL_MS}
 * @param handBackTimeoutMs       how long a member that leaves its group waits for its running handlers (their acks
 *                                still count) before it hands their messages back, so that a stream's next message
 *                                never starts on the next member beside its previous one; in milliseconds; default
 *                                {@value #DEFAULT_HAND_BACK_TIMEOUT_MS}
 */
public record NatsBrokerOptions(List<String> servers, String namespace, int replicas, long maxAgeSeconds,
                                long deadLetterMaxAgeSeconds, long duplicateWindowSeconds, long connectTimeoutMs,
                                long reconnectWaitMs, long requestTimeoutMs, long publishTimeoutMs, int publishWindow,
                                long ackWaitMs, int maxAckPending, int fetchBatch, long fetchWaitMs,
                                int maxBufferedPerMember, int maxInFlightPerMember, long redeliveryBaseMs,
                                long redeliveryCapMs, long leaseMs, long handBackTimeoutMs) {

  public static final String DEFAULT_SERVERS = "nats://127.0.0.1:4222";
  public static final String DEFAULT_NAMESPACE = "events";
  public static final int DEFAULT_REPLICAS = 1;
  public static final long DEFAULT_MAX_AGE_SECONDS = 604_800;
  public static final long DEFAULT_DEAD_LETTER_MAX_AGE_SECONDS = 2_592_000;
  public static final long DEFAULT_DUPLICATE_WINDOW_SECONDS = 120;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  public static final long DEFAULT_RECONNECT_WAIT_MS = 1_000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
  public static final long DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_PUBLISH_WINDOW = 1_024;
  public static final long DEFAULT_HAND_BACK_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_ACK_WAIT_MS = 30_000;
  public static final int DEFAULT_MAX_ACK_PENDING = 2_048;
  public static final int DEFAULT_FETCH_BATCH = 256;
  public static final long DEFAULT_FETCH_WAIT_MS = 2_000;
  public static final int DEFAULT_MAX_BUFFERED_PER_MEMBER = 1_024;
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_MEMBER = 32;
  public static final long DEFAULT_REDELIVERY_BASE_MS = 100;
  public static final long DEFAULT_REDELIVERY_CAP_MS = 10_000;
  public static final long DEFAULT_LEASE_TTL_MS = 10_000;

  private static final OptionsSchema<NatsBrokerOptions> SCHEMA = OptionsSchema.of(NatsBrokerOptions.class,
          "broker.nats")
      .key("servers", DEFAULT_SERVERS, notBlank())
      .key("namespace", DEFAULT_NAMESPACE, matches("[A-Za-z0-9_-]+", "must be letters, digits, '-' or '_'"))
      .key("replicas", DEFAULT_REPLICAS, positive())
      .key("maxAgeSeconds", DEFAULT_MAX_AGE_SECONDS, atLeast(0))
      .key("deadLetterMaxAgeSeconds", DEFAULT_DEAD_LETTER_MAX_AGE_SECONDS, atLeast(0))
      .key("duplicateWindowSeconds", DEFAULT_DUPLICATE_WINDOW_SECONDS, positive())
      .key("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS, positive())
      .key("reconnectWaitMs", DEFAULT_RECONNECT_WAIT_MS, positive())
      .key("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS, positive())
      .key("publishTimeoutMs", DEFAULT_PUBLISH_TIMEOUT_MS, positive())
      .key("publishWindow", DEFAULT_PUBLISH_WINDOW, positive())
      .key("ackWaitMs", DEFAULT_ACK_WAIT_MS, atLeast(1_000))
      .key("maxAckPending", DEFAULT_MAX_ACK_PENDING, positive())
      .key("fetchBatch", DEFAULT_FETCH_BATCH, positive())
      .key("fetchWaitMs", DEFAULT_FETCH_WAIT_MS, atLeast(1_000))
      .key("maxBufferedPerMember", DEFAULT_MAX_BUFFERED_PER_MEMBER, positive())
      .key("maxInFlightPerMember", DEFAULT_MAX_IN_FLIGHT_PER_MEMBER, positive())
      .key("redeliveryBaseMs", DEFAULT_REDELIVERY_BASE_MS, positive())
      .key("redeliveryCapMs", DEFAULT_REDELIVERY_CAP_MS)
      .keyOf("leaseMs", "leaseTtlMs", DEFAULT_LEASE_TTL_MS, atLeast(1_000))
      .key("handBackTimeoutMs", DEFAULT_HAND_BACK_TIMEOUT_MS, positive())
      .requireUnlessZero("duplicateWindowSeconds", "<=", "maxAgeSeconds")
      .require("maxBufferedPerMember", "<=", "maxAckPending")
      .require("redeliveryCapMs", ">=", "redeliveryBaseMs")
      .require("ackWaitMs", ">", "redeliveryCapMs")
      .build();

  public NatsBrokerOptions {
    SCHEMA.check(servers, namespace, replicas, maxAgeSeconds, deadLetterMaxAgeSeconds, duplicateWindowSeconds,
        connectTimeoutMs, reconnectWaitMs, requestTimeoutMs, publishTimeoutMs, publishWindow, ackWaitMs, maxAckPending,
        fetchBatch, fetchWaitMs, maxBufferedPerMember, maxInFlightPerMember, redeliveryBaseMs, redeliveryCapMs, leaseMs,
        handBackTimeoutMs);
    servers = List.copyOf(servers);
  }

  public static NatsBrokerOptions defaults() {
    return fromJson(new JsonObject());
  }

  /**
   * Reads the {@code broker.nats} section; absent keys take their defaults.
   *
   * @throws IllegalArgumentException naming the key ({@code broker.nats.<key>}) of a missing, mistyped or invalid value
   */
  public static NatsBrokerOptions fromJson(JsonObject json) {
    return SCHEMA.read(json);
  }

  public JsonObject toJson() {
    return SCHEMA.write(this);
  }

  /** @return a copy with another namespace (tests isolate themselves with one of their own) */
  public NatsBrokerOptions withNamespace(String newNamespace) {
    return SCHEMA.with(this, "namespace", newNamespace);
  }
}
