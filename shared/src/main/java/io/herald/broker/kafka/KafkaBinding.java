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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents Kafka protocol binding, binary content mode: every attribute and extension is a {@code ce_<name>}
 * header (UTF-8 text), {@code content-type} is {@code application/json}, and the record value is the event's data
 * JSON. Recorded events add the {@code ce_position} and {@code ce_streamid} extensions. Reading also accepts the
 * structured mode ({@code content-type: application/cloudevents+json}, or no CloudEvents headers at all and a JSON
 * document as the value). Thread-safe.
 */
final class KafkaBinding {

  static final String PREFIX = "ce_";
  static final String CONTENT_TYPE = "content-type";
  static final String SPECVERSION = PREFIX + "specversion";
  static final String TYPE = PREFIX + "type";

  private static final int MAX_CONSTANTS = 4_096;

  private final EventRegistry registry;
  private final Map<String, byte[]> constants = new ConcurrentHashMap<>();
  private final StructuredCloudEvents structured;

  KafkaBinding(EventRegistry registry) {
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
    Header[] headers = new Header[16];
    int n = 0;
    headers[n++] = new RecordHeader(SPECVERSION, constant(EventEnvelope.SPEC_VERSION));
    headers[n++] = new RecordHeader(PREFIX + "id", utf8(e.id().toString()));
    headers[n++] = new RecordHeader(PREFIX + "source", constant(e.source()));
    headers[n++] = new RecordHeader(TYPE, constant(e.type()));
    headers[n++] = new RecordHeader(PREFIX + "time", utf8(e.time().toString()));
    headers[n++] = new RecordHeader(PREFIX + "subject", utf8(e.subject()));
    headers[n++] = new RecordHeader(CONTENT_TYPE, constant(EventEnvelope.DATA_CONTENT_TYPE));
    if (e.dataschema() != null) {
      headers[n++] = new RecordHeader(PREFIX + "dataschema", constant(e.dataschema()));
    }
    headers[n++] = new RecordHeader(PREFIX + "aggregatetype", constant(e.aggregatetype()));
    headers[n++] = new RecordHeader(PREFIX + "sequence", utf8(Long.toString(e.sequence())));
    headers[n++] = new RecordHeader(PREFIX + "correlationid", utf8(e.correlationid()));
    if (e.causationid() != null) {
      headers[n++] = new RecordHeader(PREFIX + "causationid", utf8(e.causationid()));
    }
    headers[n++] = new RecordHeader(PREFIX + "schemaversion", constant(Integer.toString(e.schemaversion())));
    if (e.traceparent() != null) {
      headers[n++] = new RecordHeader(PREFIX + "traceparent", utf8(e.traceparent()));
    }
    headers[n++] = new RecordHeader(PREFIX + "position", utf8(Long.toString(event.position())));
    headers[n++] = new RecordHeader(PREFIX + "streamid", utf8(event.streamId()));
    return new Encoded(new RecordHeaders(n == headers.length ? headers : Arrays.copyOf(headers, n)),
        EventJson.toBytes(e.data()));
  }

  // values with few distinct strings (spec version, source, type, aggregate type...) are converted once
  private byte[] constant(String value) {
    byte[] bytes = constants.get(value);
    if (bytes == null) {
      bytes = utf8(value);
      if (constants.size() < MAX_CONSTANTS) {
        constants.put(value, bytes);
      }
    }
    return bytes;
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
