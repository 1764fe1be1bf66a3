package io.herald.broker.kafka;

import io.herald.broker.StructuredCloudEvents;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.EventEnvelope;
import io.herald.event.EventJson;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents Kafka protocol binding, binary content mode: every attribute and extension is a {@code ce_<name>}
 * header (UTF-8 text), {@code content-type} is {@code application/json}, and the record value is the event's data
 * JSON. Recorded events add the {@code ce_position} and {@code ce_streamid} extensions. Reading also accepts the
 * structured mode ({@code content-type: application/cloudevents+json}, or no CloudEvents headers at all and a JSON
 * document as the value). Thread-safe.
 */
final class KafkaCloudEvents {

  static final String PREFIX = "ce_";
  static final String CONTENT_TYPE = "content-type";
  static final String SPECVERSION = PREFIX + "specversion";
  static final String TYPE = PREFIX + "type";

  private final EventRegistry registry;
  private final StructuredCloudEvents structured;

  KafkaCloudEvents(EventRegistry registry) {
    this.registry = registry;
    this.structured = new StructuredCloudEvents(Objects.requireNonNull(registry, "registry"));
  }

  /** An encoded event: its headers and its value. */
  record Encoded(Headers headers, byte[] value) {
  }

  /** Headers straight from the envelope (the same attributes and text forms as the structured binding). */
  Encoded encode(RecordedEvent event) {
    EventEnvelope e = event.envelope();
    registry.byClass(e.data().getClass()); // an unregistered record fails here, as in the structured binding
    RecordHeaders headers = new RecordHeaders();
    add(headers, SPECVERSION, EventEnvelope.SPEC_VERSION);
    add(headers, PREFIX + "id", e.id().toString());
    add(headers, PREFIX + "source", e.source());
    add(headers, TYPE, e.type());
    add(headers, PREFIX + "time", e.time().toString());
    add(headers, PREFIX + "subject", e.subject());
    add(headers, CONTENT_TYPE, EventEnvelope.DATA_CONTENT_TYPE);
    if (e.dataschema() != null) {
      add(headers, PREFIX + "dataschema", e.dataschema());
    }
    add(headers, PREFIX + "aggregatetype", e.aggregatetype());
    add(headers, PREFIX + "sequence", Long.toString(e.sequence()));
    add(headers, PREFIX + "correlationid", e.correlationid());
    if (e.causationid() != null) {
      add(headers, PREFIX + "causationid", e.causationid());
    }
    add(headers, PREFIX + "schemaversion", Integer.toString(e.schemaversion()));
    if (e.traceparent() != null) {
      add(headers, PREFIX + "traceparent", e.traceparent());
    }
    add(headers, PREFIX + "position", Long.toString(event.position()));
    add(headers, PREFIX + "streamid", event.streamId());
    return new Encoded(headers, EventJson.toBytes(e.data()));
  }

  private static void add(RecordHeaders headers, String name, String value) {
    headers.add(name, utf8(value));
  }

  /**
   * Reads a record's headers and value as an event.
   *
   * @param headers the record's headers as text (the last one wins when a name repeats)
   * @param value   the record's value, {@code null} for a tombstone
   * @throws UndecodableMessageException naming why the record is not an event
   */
  RecordedEvent decode(Map<String, String> headers, byte[] value) {
    String contentType = headers.get(CONTENT_TYPE);
    if (headers.containsKey(SPECVERSION)) {
      return decodeBinary(headers, contentType, value);
    }
    if (value == null || value.length == 0) {
      throw new UndecodableMessageException("not a CloudEvent: no " + SPECVERSION + " header and an empty value", null);
    }
    if (contentType != null && !contentType.startsWith(StructuredCloudEvents.CONTENT_TYPE)
        && !contentType.startsWith("application/json")) {
      throw new UndecodableMessageException("not a CloudEvent: no " + SPECVERSION + " header and content-type '"
          + contentType + "'", null);
    }
    return structured.decode(Buffer.buffer(value));
  }

  private RecordedEvent decodeBinary(Map<String, String> headers, String contentType, byte[] value) {
    JsonObject document = new JsonObject();
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().startsWith(PREFIX) && header.getKey().length() > PREFIX.length()) {
        document.put(header.getKey().substring(PREFIX.length()), header.getValue());
      }
    }
    if (contentType != null) {
      document.put("datacontenttype", contentType);
    }
    if (value == null) {
      throw new UndecodableMessageException("binary CloudEvent '" + headers.get(TYPE) + "' has no data (null value)", null);
    }
    Object data;
    try {
      data = Json.decodeValue(Buffer.buffer(value));
    } catch (DecodeException e) {
      throw new UndecodableMessageException("data of binary CloudEvent '" + headers.get(TYPE) + "' is not JSON: "
          + e.getMessage(), e);
    }
    document.put("data", data);
    return structured.decode(document);
  }

  /** @return the headers as text, the last value winning when a name repeats; a value that is not UTF-8 is kept lossy */
  static Map<String, String> text(Headers headers) {
    Map<String, String> text = new LinkedHashMap<>();
    for (Header header : headers) {
      text.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
    }
    return text;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
