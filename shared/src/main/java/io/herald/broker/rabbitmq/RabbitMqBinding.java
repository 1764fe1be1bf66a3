package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.herald.broker.RawMessage;
import io.herald.broker.StructuredCloudEvents;
import io.herald.broker.UndecodableMessageException;
import io.herald.broker.rabbitmq.RabbitMqBrokerOptions.Binding;
import io.herald.event.EventEnvelope;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The CloudEvents AMQP protocol binding of a stored event, on RabbitMQ's AMQP 0-9-1 (application properties are
 * message headers).
 *
 * <p><b>Binary mode</b> (the default): every attribute except {@code data} and {@code datacontenttype} is a header
 * {@code cloudEvents:<name>} ({@code specversion, id, source, type, time, subject, dataschema} and the extensions
 * {@code aggregatetype, sequence, correlationid, causationid, schemaversion, traceparent, position, streamid});
 * strings are AMQP strings, {@code sequence}, {@code position} and {@code schemaversion} are integers, {@code time}
 * is its RFC 3339 string; the AMQP {@code content-type} is {@code application/json} and the body is the event data.
 * <b>Structured mode</b>: the body is the CloudEvents JSON format, content type
 * {@code application/cloudevents+json}. Both carry {@code message-id} = event id and delivery mode 2.
 *
 * <p>Reading accepts either mode whatever the writing mode, headers prefixed {@code cloudEvents:} (the spec's
 * AMQP binding) or {@code cloudEvents_} (some clients), and a structured JSON body without a content type.
 * Thread-safe.
 */
final class RabbitMqBinding {

  static final String PREFIX = "cloudEvents:";
  static final String ALT_PREFIX = "cloudEvents_";
  static final String CONTENT_TYPE_HEADER = "content-type";

  private static final int PERSISTENT = 2;

  private final StructuredCloudEvents structured;
  private final Binding binding;

  RabbitMqBinding(EventRegistry registry, Binding binding) {
    this.structured = new StructuredCloudEvents(Objects.requireNonNull(registry, "registry"));
    this.binding = Objects.requireNonNull(binding, "binding");
  }

  /** An AMQP message ready to publish: properties (with headers) and body. */
  record Outgoing(AMQP.BasicProperties properties, byte[] body) {
  }

  Outgoing encode(RecordedEvent event) {
    AMQP.BasicProperties.Builder props = new AMQP.BasicProperties.Builder()
        .messageId(event.envelope().id().toString())
        .deliveryMode(PERSISTENT);
    if (binding == Binding.STRUCTURED) {
      return new Outgoing(props.contentType(StructuredCloudEvents.CONTENT_TYPE).build(), structured.encode(event).getBytes());
    }
    JsonObject document = structured.encodeJson(event);
    Map<String, Object> headers = new LinkedHashMap<>();
    for (Map.Entry<String, Object> attribute : document) {
      String name = attribute.getKey();
      if (!"data".equals(name) && !"datacontenttype".equals(name)) {
        headers.put(PREFIX + name, attribute.getValue());
      }
    }
    Object contentType = document.getValue("datacontenttype");
    byte[] body = document.getJsonObject("data").toBuffer().getBytes();
    return new Outgoing(props.contentType(contentType == null ? EventEnvelope.DATA_CONTENT_TYPE : contentType.toString())
        .headers(headers).build(), body);
  }

  /**
   * @throws UndecodableMessageException naming why the message is not an event
   */
  RecordedEvent decode(AMQP.BasicProperties properties, byte[] body) {
    Map<String, Object> headers = properties == null || properties.getHeaders() == null ? Map.of() : properties.getHeaders();
    return decode(properties == null ? null : properties.getContentType(), headers, Buffer.buffer(body));
  }

  /** Reads a kept message: {@link #rawHeaders} plus the body are enough. */
  RecordedEvent decode(RawMessage message) {
    Objects.requireNonNull(message, "message");
    return decode(message.headers().get(CONTENT_TYPE_HEADER), message.headers(), message.payload());
  }

  private RecordedEvent decode(String contentType, Map<String, ?> headers, Buffer body) {
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (mediaType.startsWith("application/cloudevents")) {
      return structured.decode(body);
    }
    if (attribute(headers, "specversion") != null) {
      return decodeBinary(contentType, headers, body);
    }
    JsonObject document;
    try {
      document = body.length() == 0 ? null : body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new UndecodableMessageException("not a CloudEvent: no " + PREFIX + "specversion header, and the body is not JSON: "
          + e.getMessage(), e);
    }
    if (document == null || !document.containsKey("specversion")) {
      throw new UndecodableMessageException("not a CloudEvent: no " + PREFIX + "specversion header, and the body is not "
          + "a structured CloudEvent (no specversion)", null);
    }
    return structured.decode(document);
  }

  private RecordedEvent decodeBinary(String contentType, Map<String, ?> headers, Buffer body) {
    JsonObject document = new JsonObject();
    // the spec's prefix wins over the alternative one when a message carries both
    for (String prefix : new String[] {ALT_PREFIX, PREFIX}) {
      for (Map.Entry<String, ?> header : headers.entrySet()) {
        if (header.getKey().startsWith(prefix) && header.getValue() != null) {
          document.put(header.getKey().substring(prefix.length()), attributeValue(header.getValue()));
        }
      }
    }
    if (contentType != null) {
      document.put("datacontenttype", contentType);
    }
    try {
      document.put("data", body.length() == 0 ? null : body.toJsonObject());
    } catch (DecodeException | ClassCastException e) {
      throw new UndecodableMessageException("CloudEvent '" + document.getValue("type") + "' has a body that is not a JSON object: "
          + e.getMessage(), e);
    }
    return structured.decode(document);
  }

  private static Object attribute(Map<String, ?> headers, String name) {
    Object value = headers.get(PREFIX + name);
    return value != null ? value : headers.get(ALT_PREFIX + name);
  }

  // AMQP header values arrive as LongString, numbers, Date (timestamp), byte[]...; JSON wants strings and numbers
  private static Object attributeValue(Object value) {
    if (value instanceof Number || value instanceof String || value instanceof Boolean) {
      return value;
    }
    return text(value);
  }

  /**
   * @return the message's headers as text for a {@link RawMessage}: application headers by name, and the AMQP
   *     properties that matter to a reader under their AMQP names ({@code content-type}, {@code message-id}, ...)
   */
  static Map<String, String> rawHeaders(AMQP.BasicProperties properties) {
    Map<String, String> raw = new LinkedHashMap<>();
    if (properties == null) {
      return raw;
    }
    put(raw, CONTENT_TYPE_HEADER, properties.getContentType());
    put(raw, "content-encoding", properties.getContentEncoding());
    put(raw, "message-id", properties.getMessageId());
    put(raw, "correlation-id", properties.getCorrelationId());
    put(raw, "type", properties.getType());
    put(raw, "app-id", properties.getAppId());
    if (properties.getTimestamp() != null) {
      raw.put("timestamp", properties.getTimestamp().toInstant().toString());
    }
    if (properties.getHeaders() != null) {
      for (Map.Entry<String, Object> header : properties.getHeaders().entrySet()) {
        if (header.getValue() != null) {
          raw.put(header.getKey(), text(header.getValue()));
        }
      }
    }
    return raw;
  }

  static String text(Object value) {
    if (value instanceof LongString s) {
      return s.toString();
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof Date date) {
      return date.toInstant().toString();
    }
    return String.valueOf(value);
  }

  private static void put(Map<String, String> raw, String name, String value) {
    if (value != null) {
      raw.put(name, value);
    }
  }
}
