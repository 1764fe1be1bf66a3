package io.herald.broker.rabbitmq;

import static io.herald.options.Rule.between;
import static io.herald.options.Rule.matches;
import static io.herald.options.Rule.notBlank;
import static io.herald.options.Rule.positive;

import io.herald.options.OptionsSchema;
import io.vertx.core.json.JsonObject;

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
    STRUCTURED
  }

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

  private static final OptionsSchema<RabbitMqBrokerOptions> SCHEMA = OptionsSchema.of(RabbitMqBrokerOptions.class,
          "broker.rabbitmq")
      .key("host", DEFAULT_HOST, notBlank())
      .key("port", DEFAULT_PORT, between(1, 65_535))
      .key("username", DEFAULT_USERNAME, notBlank())
      .key("password", DEFAULT_PASSWORD)
      .key("virtualHost", DEFAULT_VIRTUAL_HOST, notBlank())
      .key("namespace", DEFAULT_NAMESPACE, notBlank(),
          matches("[^\\p{javaWhitespace}#*]*", "must not contain whitespace, '#' or '*'"))
      .key("binding", DEFAULT_BINDING)
      .key("prefetch", DEFAULT_PREFETCH, between(1, 65_535))
      .key("maxBuffered", DEFAULT_MAX_BUFFERED, positive())
      .key("maxInFlightPerMember", DEFAULT_MAX_IN_FLIGHT_PER_MEMBER, positive())
      .key("redeliveryBaseMs", DEFAULT_REDELIVERY_BASE_MS, positive())
      .key("redeliveryCapMs", DEFAULT_REDELIVERY_CAP_MS)
      .key("reconnectBaseMs", DEFAULT_RECONNECT_BASE_MS, positive())
      .key("reconnectCapMs", DEFAULT_RECONNECT_CAP_MS)
      .key("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS, positive())
      .key("heartbeatSeconds", DEFAULT_HEARTBEAT_SECONDS, between(0, 65_535))
      .key("maxUnconfirmed", DEFAULT_MAX_UNCONFIRMED, positive())
      .key("writeBatch", DEFAULT_WRITE_BATCH, positive())
      .key("handBackTimeoutMs", DEFAULT_HAND_BACK_TIMEOUT_MS, positive())
      .require("redeliveryCapMs", ">=", "redeliveryBaseMs")
      .require("reconnectCapMs", ">=", "reconnectBaseMs")
      .build();

  public RabbitMqBrokerOptions {
    SCHEMA.check(host, port, username, password, virtualHost, namespace, binding, prefetch, maxBuffered,
        maxInFlightPerMember, redeliveryBaseMs, redeliveryCapMs, reconnectBaseMs, reconnectCapMs, connectTimeoutMs,
        heartbeatSeconds, maxUnconfirmed, writeBatch, handBackTimeoutMs);
  }

  public static RabbitMqBrokerOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code broker.rabbitmq} section; absent keys take their defaults. */
  public static RabbitMqBrokerOptions fromJson(JsonObject json) {
    return SCHEMA.read(json);
  }

  /** @return the options as a {@code broker.rabbitmq} section ({@link #fromJson} reads it back unchanged) */
  public JsonObject toJson() {
    return SCHEMA.write(this);
  }

  /** @return a copy with another namespace */
  public RabbitMqBrokerOptions withNamespace(String newNamespace) {
    return SCHEMA.with(this, "namespace", newNamespace);
  }

  @Override
  public String toString() {
    return "RabbitMqBrokerOptions" + toJson().put("password", "***").encode();
  }
}
