package io.herald.broker.nats;

import static io.herald.options.JsonOptions.requireAtLeast;

import io.herald.options.JsonOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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

  private static final String PREFIX = "broker.nats.";
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_-]+");

  public NatsBrokerOptions {
    if (servers == null || servers.isEmpty()) {
      throw new IllegalArgumentException(PREFIX + "servers must name at least one server");
    }
    servers = List.copyOf(servers);
    for (String s : servers) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException(PREFIX + "servers must not contain a blank entry");
      }
    }
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(PREFIX + "namespace must be letters, digits, '-' or '_', was '" + namespace + "'");
    }
    requireAtLeast(PREFIX + "replicas", replicas, 1);
    requireAtLeast(PREFIX + "maxAgeSeconds", maxAgeSeconds, 0);
    requireAtLeast(PREFIX + "deadLetterMaxAgeSeconds", deadLetterMaxAgeSeconds, 0);
    requireAtLeast(PREFIX + "duplicateWindowSeconds", duplicateWindowSeconds, 1);
    if (maxAgeSeconds > 0 && duplicateWindowSeconds > maxAgeSeconds) {
      throw new IllegalArgumentException(PREFIX + "duplicateWindowSeconds (" + duplicateWindowSeconds
          + ") must not exceed maxAgeSeconds (" + maxAgeSeconds + ")");
    }
    requireAtLeast(PREFIX + "connectTimeoutMs", connectTimeoutMs, 1);
    requireAtLeast(PREFIX + "reconnectWaitMs", reconnectWaitMs, 1);
    requireAtLeast(PREFIX + "requestTimeoutMs", requestTimeoutMs, 1);
    requireAtLeast(PREFIX + "publishTimeoutMs", publishTimeoutMs, 1);
    requireAtLeast(PREFIX + "publishWindow", publishWindow, 1);
    requireAtLeast(PREFIX + "maxAckPending", maxAckPending, 1);
    requireAtLeast(PREFIX + "fetchBatch", fetchBatch, 1);
    requireAtLeast(PREFIX + "fetchWaitMs", fetchWaitMs, 1_000);
    requireAtLeast(PREFIX + "maxBufferedPerMember", maxBufferedPerMember, 1);
    if (maxBufferedPerMember > maxAckPending) {
      throw new IllegalArgumentException(PREFIX + "maxBufferedPerMember (" + maxBufferedPerMember
          + ") must not exceed maxAckPending (" + maxAckPending + ")");
    }
    requireAtLeast(PREFIX + "maxInFlightPerMember", maxInFlightPerMember, 1);
    requireAtLeast(PREFIX + "redeliveryBaseMs", redeliveryBaseMs, 1);
    if (redeliveryCapMs < redeliveryBaseMs) {
      throw new IllegalArgumentException(PREFIX + "redeliveryCapMs (" + redeliveryCapMs
          + ") must be >= redeliveryBaseMs (" + redeliveryBaseMs + ")");
    }
    requireAtLeast(PREFIX + "ackWaitMs", ackWaitMs, 1_000);
    if (ackWaitMs <= redeliveryCapMs) {
      throw new IllegalArgumentException(PREFIX + "ackWaitMs (" + ackWaitMs + ") must exceed redeliveryCapMs ("
          + redeliveryCapMs + ")");
    }
    requireAtLeast(PREFIX + "leaseTtlMs", leaseMs, 1_000);
    requireAtLeast(PREFIX + "handBackTimeoutMs", handBackTimeoutMs, 1);
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
    JsonObject j = json == null ? new JsonObject() : json;
    JsonOptions in = JsonOptions.of(j, PREFIX);
    return new NatsBrokerOptions(
        servers(j.getValue("servers", DEFAULT_SERVERS)),
        in.string("namespace", DEFAULT_NAMESPACE),
        (int) in.number("replicas", DEFAULT_REPLICAS),
        in.number("maxAgeSeconds", DEFAULT_MAX_AGE_SECONDS),
        in.number("deadLetterMaxAgeSeconds", DEFAULT_DEAD_LETTER_MAX_AGE_SECONDS),
        in.number("duplicateWindowSeconds", DEFAULT_DUPLICATE_WINDOW_SECONDS),
        in.number("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS),
        in.number("reconnectWaitMs", DEFAULT_RECONNECT_WAIT_MS),
        in.number("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS),
        in.number("publishTimeoutMs", DEFAULT_PUBLISH_TIMEOUT_MS),
        (int) in.number("publishWindow", DEFAULT_PUBLISH_WINDOW),
        in.number("ackWaitMs", DEFAULT_ACK_WAIT_MS),
        (int) in.number("maxAckPending", DEFAULT_MAX_ACK_PENDING),
        (int) in.number("fetchBatch", DEFAULT_FETCH_BATCH),
        in.number("fetchWaitMs", DEFAULT_FETCH_WAIT_MS),
        (int) in.number("maxBufferedPerMember", DEFAULT_MAX_BUFFERED_PER_MEMBER),
        (int) in.number("maxInFlightPerMember", DEFAULT_MAX_IN_FLIGHT_PER_MEMBER),
        in.number("redeliveryBaseMs", DEFAULT_REDELIVERY_BASE_MS),
        in.number("redeliveryCapMs", DEFAULT_REDELIVERY_CAP_MS),
        in.number("leaseTtlMs", DEFAULT_LEASE_TTL_MS),
        in.number("handBackTimeoutMs", DEFAULT_HAND_BACK_TIMEOUT_MS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("servers", String.join(",", servers))
        .put("namespace", namespace)
        .put("replicas", replicas)
        .put("maxAgeSeconds", maxAgeSeconds)
        .put("deadLetterMaxAgeSeconds", deadLetterMaxAgeSeconds)
        .put("duplicateWindowSeconds", duplicateWindowSeconds)
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("reconnectWaitMs", reconnectWaitMs)
        .put("requestTimeoutMs", requestTimeoutMs)
        .put("publishTimeoutMs", publishTimeoutMs)
        .put("publishWindow", publishWindow)
        .put("ackWaitMs", ackWaitMs)
        .put("maxAckPending", maxAckPending)
        .put("fetchBatch", fetchBatch)
        .put("fetchWaitMs", fetchWaitMs)
        .put("maxBufferedPerMember", maxBufferedPerMember)
        .put("maxInFlightPerMember", maxInFlightPerMember)
        .put("redeliveryBaseMs", redeliveryBaseMs)
        .put("redeliveryCapMs", redeliveryCapMs)
        .put("leaseTtlMs", leaseMs)
        .put("handBackTimeoutMs", handBackTimeoutMs);
  }

  /** @return a copy with another namespace (tests isolate themselves with one of their own) */
  public NatsBrokerOptions withNamespace(String newNamespace) {
    return fromJson(toJson().put("namespace", newNamespace));
  }

  private static List<String> servers(Object value) {
    List<String> list = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object o : array) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException(PREFIX + "servers must be strings, found " + o);
        }
        list.add(s.trim());
      }
    } else if (value instanceof String s) {
      for (String part : s.split(",", -1)) {
        list.add(part.trim());
      }
    } else {
      throw new IllegalArgumentException(PREFIX + "servers must be a comma-separated string or a list, was " + value);
    }
    return list;
  }
}
