package io.herald.broker.rabbitmq;

import static io.herald.options.JsonOptions.requireRange;
import static io.herald.options.JsonOptions.requireText;

import io.herald.options.JsonOptions;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the RabbitMQ broker, read from the {@code broker.rabbitmq} config section; absent keys take their
 * defaults, invalid values fail with an {@link IllegalArgumentException} naming the key.
 *
 * @param host                 RabbitMQ host; default {@value #DEFAULT_HOST}
 * @param port                 AMQP 0-9-1 port; default {@value #DEFAULT_PORT}
 * @param username             user name; default {@value #DEFAULT_USERNAME}
 * @param password             password; default {@value #DEFAULT_PASSWORD}
 * @param virtualHost          virtual host; default {@value #DEFAULT_VIRTUAL_HOST}
 * @param namespace            prefix of everything the broker declares: the topic exchange is named after it, the
 *                             dead-letter exchange is {@code <namespace>.dlx}, a group's queue
 *                             {@code <namespace>.<group>}; default {@value #DEFAULT_NAMESPACE}
 * @param binding              how events are written: {@link Binding#BINARY} (attributes as {@code cloudEvents:*}
 *                             headers, body = data) or {@link Binding#STRUCTURED} (body = CloudEvents JSON); both
 *                             are read whatever this says; default {@code binary}
 * @param prefetch             most unacked messages RabbitMQ pushes to one subscription (basic.qos), in messages;
 *                             default {@value #DEFAULT_PREFETCH}
 * @param maxBuffered          most messages one subscription hands to its stream lanes before it holds the rest
 *                             back until some are settled, in messages; default {@value #DEFAULT_MAX_BUFFERED}
 * @param maxInFlightPerMember most deliveries one subscription has handed to its handler and not settled (streams
 *                             handled in parallel), in events; default {@value #DEFAULT_MAX_IN_FLIGHT_PER_MEMBER}
 * @param redeliveryBaseMs     delay before a nacked delivery is handed out again (at most), in milliseconds; doubles
 *                             on each further nack; default {@value #DEFAULT_REDELIVERY_BASE_MS}
 * @param redeliveryCapMs      largest redelivery delay, in milliseconds; default {@value #DEFAULT_REDELIVERY_CAP_MS}
 * @param reconnectBaseMs      first delay before reconnecting after the connection was lost, in milliseconds;
 *                             doubles with jitter on each failed attempt; default {@value #DEFAULT_RECONNECT_BASE_MS}
 * @param reconnectCapMs       largest delay between two reconnection attempts, in milliseconds; default
 *                             {@value #DEFAULT_RECONNECT_CAP_MS}
 * @param connectTimeoutMs     TCP connect and AMQP handshake timeout, in milliseconds; default
 *                             {@value #DEFAULT_CONNECT_TIMEOUT_MS}
 * @param heartbeatSeconds     AMQP heartbeat, so a silent network failure is noticed, in seconds; 0 disables it;
 *                             default {@value #DEFAULT_HEARTBEAT_SECONDS}
 * @param maxUnconfirmed       most published messages waiting for their publisher confirm; further publishes wait
 *                             in order until confirms come back, in messages; default {@value #DEFAULT_MAX_UNCONFIRMED}
 * @param writeBatch           most AMQP frames (publishes, acks) written in one blocking-pool task, in messages;
 *                             default {@value #DEFAULT_WRITE_BATCH}
 * @param handBackTimeoutMs    how long a member that leaves its group waits for its running handlers (their acks
 *                             still count) before it hands their messages back, so that a stream's next message never
 *                             starts on the next member beside its previous one; in milliseconds; default
 *                             {@value #DEFAULT_HAND_BACK_TIMEOUT_MS}
 */
public record RabbitMqBrokerOptions(String host, int port, String username, String password, String virtualHost,
                                    String namespace, Binding binding, int prefetch, int maxBuffered,
                                    int maxInFlightPerMember, long redeliveryBaseMs, long redeliveryCapMs,
                                    long reconnectBaseMs, long reconnectCapMs, int connectTimeoutMs,
                                    int heartbeatSeconds, int maxUnconfirmed, int writeBatch,
                                    long handBackTimeoutMs) {

  /** How an event is laid out in an AMQP message. */
  public enum Binding {
    /** CloudEvents AMQP binding, binary mode: attributes in {@code cloudEvents:*} headers, body = event data. */
    BINARY,
    /** CloudEvents structured mode: body = the JSON event format, content type {@code application/cloudevents+json}. */
    STRUCTURED;

    static Binding parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(KEY + "binding must be binary or structured, was '" + value + "'");
      }
    }

    String configValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String KEY = "broker.rabbitmq.";

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5672;
  public static final String DEFAULT_USERNAME = "guest";
  public static final String DEFAULT_PASSWORD = "guest";
  public static final String DEFAULT_VIRTUAL_HOST = "/";
  public static final String DEFAULT_NAMESPACE = "events";
  public static final String DEFAULT_BINDING = "binary";
  public static final int DEFAULT_PREFETCH = 256;
  public static final int DEFAULT_MAX_BUFFERED = 256;
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_MEMBER = 32;
  public static final long DEFAULT_REDELIVERY_BASE_MS = 100;
  public static final long DEFAULT_REDELIVERY_CAP_MS = 10_000;
  public static final long DEFAULT_RECONNECT_BASE_MS = 200;
  public static final long DEFAULT_RECONNECT_CAP_MS = 5_000;
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_HEARTBEAT_SECONDS = 10;
  public static final int DEFAULT_MAX_UNCONFIRMED = 10_000;
  public static final int DEFAULT_WRITE_BATCH = 256;
  public static final long DEFAULT_HAND_BACK_TIMEOUT_MS = 30_000;

  public RabbitMqBrokerOptions {
    requireText(KEY + "host", host);
    requireRange(KEY + "port", port, 1, 65_535);
    requireText(KEY + "username", username);
    Objects.requireNonNull(password, KEY + "password");
    requireText(KEY + "virtualHost", virtualHost);
    requireText(KEY + "namespace", namespace);
    for (int i = 0; i < namespace.length(); i++) {
      if (Character.isWhitespace(namespace.charAt(i)) || namespace.charAt(i) == '#' || namespace.charAt(i) == '*') {
        throw new IllegalArgumentException(KEY + "namespace must not contain whitespace, '#' or '*', was '" + namespace + "'");
      }
    }
    Objects.requireNonNull(binding, KEY + "binding");
    requireRange(KEY + "prefetch", prefetch, 1, 65_535);
    requireRange(KEY + "maxBuffered", maxBuffered, 1, Integer.MAX_VALUE);
    requireRange(KEY + "maxInFlightPerMember", maxInFlightPerMember, 1, Integer.MAX_VALUE);
    requireRange(KEY + "redeliveryBaseMs", redeliveryBaseMs, 1, Long.MAX_VALUE);
    if (redeliveryCapMs < redeliveryBaseMs) {
      throw new IllegalArgumentException(KEY + "redeliveryCapMs (" + redeliveryCapMs + ") must be >= redeliveryBaseMs ("
          + redeliveryBaseMs + ")");
    }
    requireRange(KEY + "reconnectBaseMs", reconnectBaseMs, 1, Long.MAX_VALUE);
    if (reconnectCapMs < reconnectBaseMs) {
      throw new IllegalArgumentException(KEY + "reconnectCapMs (" + reconnectCapMs + ") must be >= reconnectBaseMs ("
          + reconnectBaseMs + ")");
    }
    requireRange(KEY + "connectTimeoutMs", connectTimeoutMs, 1, Integer.MAX_VALUE);
    requireRange(KEY + "heartbeatSeconds", heartbeatSeconds, 0, 65_535);
    requireRange(KEY + "maxUnconfirmed", maxUnconfirmed, 1, Integer.MAX_VALUE);
    requireRange(KEY + "writeBatch", writeBatch, 1, Integer.MAX_VALUE);
    requireRange(KEY + "handBackTimeoutMs", handBackTimeoutMs, 1, Long.MAX_VALUE);
  }

  public static RabbitMqBrokerOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code broker.rabbitmq} section; absent keys take their defaults. */
  public static RabbitMqBrokerOptions fromJson(JsonObject json) {
    JsonOptions in = JsonOptions.of(json, KEY);
    return new RabbitMqBrokerOptions(
        in.string("host", DEFAULT_HOST),
        in.integer("port", DEFAULT_PORT),
        in.string("username", DEFAULT_USERNAME),
        in.string("password", DEFAULT_PASSWORD),
        in.string("virtualHost", DEFAULT_VIRTUAL_HOST),
        in.string("namespace", DEFAULT_NAMESPACE),
        Binding.parse(in.string("binding", DEFAULT_BINDING)),
        in.integer("prefetch", DEFAULT_PREFETCH),
        in.integer("maxBuffered", DEFAULT_MAX_BUFFERED),
        in.integer("maxInFlightPerMember", DEFAULT_MAX_IN_FLIGHT_PER_MEMBER),
        in.number("redeliveryBaseMs", DEFAULT_REDELIVERY_BASE_MS),
        in.number("redeliveryCapMs", DEFAULT_REDELIVERY_CAP_MS),
        in.number("reconnectBaseMs", DEFAULT_RECONNECT_BASE_MS),
        in.number("reconnectCapMs", DEFAULT_RECONNECT_CAP_MS),
        in.integer("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS),
        in.integer("heartbeatSeconds", DEFAULT_HEARTBEAT_SECONDS),
        in.integer("maxUnconfirmed", DEFAULT_MAX_UNCONFIRMED),
        in.integer("writeBatch", DEFAULT_WRITE_BATCH),
        in.number("handBackTimeoutMs", DEFAULT_HAND_BACK_TIMEOUT_MS));
  }

  /** @return the options as a {@code broker.rabbitmq} section ({@link #fromJson} reads it back unchanged) */
  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host).put("port", port).put("username", username).put("password", password)
        .put("virtualHost", virtualHost).put("namespace", namespace).put("binding", binding.configValue())
        .put("prefetch", prefetch).put("maxBuffered", maxBuffered).put("maxInFlightPerMember", maxInFlightPerMember)
        .put("redeliveryBaseMs", redeliveryBaseMs).put("redeliveryCapMs", redeliveryCapMs)
        .put("reconnectBaseMs", reconnectBaseMs).put("reconnectCapMs", reconnectCapMs)
        .put("connectTimeoutMs", connectTimeoutMs).put("heartbeatSeconds", heartbeatSeconds)
        .put("maxUnconfirmed", maxUnconfirmed).put("writeBatch", writeBatch)
        .put("handBackTimeoutMs", handBackTimeoutMs);
  }

  /** @return a copy with another namespace */
  public RabbitMqBrokerOptions withNamespace(String newNamespace) {
    return fromJson(toJson().put("namespace", newNamespace));
  }

  @Override
  public String toString() {
    return "RabbitMqBrokerOptions" + toJson().put("password", "***").encode();
  }
}
