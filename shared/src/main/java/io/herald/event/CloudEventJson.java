package io.herald.event;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * CloudEvents 1.0 JSON event format (structured mode): the form events take on brokers that carry a whole
 * document (Redis, NATS, RabbitMQ structured), on HTTP feeds and in logs. Any CloudEvents SDK can read it.
 * Recorded events also carry the extensions {@code position} and {@code streamid}.
 */
public final class CloudEventJson {

  public static final String MEDIA_TYPE = "application/cloudevents+json";

  private final EventRegistry registry;

  public CloudEventJson(EventRegistry registry) {
    this.registry = registry;
  }

  public JsonObject encode(EventEnvelope e) {
    JsonObject json = new JsonObject()
        .put("specversion", EventEnvelope.SPEC_VERSION)
        .put("id", e.id().toString())
        .put("source", e.source())
        .put("type", e.type())
        .put("time", e.time().toString())
        .put("subject", e.subject())
        .put("datacontenttype", EventEnvelope.DATA_CONTENT_TYPE);
    if (e.dataschema() != null) {
      json.put("dataschema", e.dataschema());
    }
    json.put("aggregatetype", e.aggregatetype())
        .put("sequence", e.sequence())
        .put("correlationid", e.correlationid());
    if (e.causationid() != null) {
      json.put("causationid", e.causationid());
    }
    json.put("schemaversion", e.schemaversion());
    if (e.traceparent() != null) {
      json.put("traceparent", e.traceparent());
    }
    return json.put("data", registry.encode(e.data()));
  }

  public JsonObject encode(RecordedEvent r) {
    return encode(r.envelope()).put("position", r.position()).put("streamid", r.streamId());
  }

  /** Parses a structured CloudEvent from bytes. */
  public EventEnvelope decode(Buffer bytes) {
    JsonObject json;
    try {
      json = bytes.toJsonObject();
    } catch (DecodeException e) {
      throw new CloudEventFormatException("", "not a JSON object: " + e.getMessage());
    }
    return decode(json);
  }

  /**
   * Parses a structured CloudEvent, upcasting its data to the current record.
   *
   * @throws CloudEventFormatException when a required attribute is missing or malformed
   * @throws UnknownEventTypeException when the type is not registered
   * @throws EventDecodingException    when the data does not match the record
   */
  public EventEnvelope decode(JsonObject json) {
    String specversion = requiredString(json, "specversion");
    if (!EventEnvelope.SPEC_VERSION.equals(specversion)) {
      throw new CloudEventFormatException("specversion", "unsupported value '" + specversion + "', expected 1.0");
    }
    UUID id = uuid(requiredString(json, "id"));
    String source = requiredString(json, "source");
    String type = requiredString(json, "type");
    EventRegistry.Registration reg = registry.byType(type);
    Instant time = instant(requiredString(json, "time"));
    String subject = requiredString(json, "subject");
    String contentType = optionalString(json, "datacontenttype");
    if (contentType != null && !contentType.startsWith("application/json") && !contentType.endsWith("+json")) {
      throw new CloudEventFormatException("datacontenttype", "unsupported value '" + contentType + "', expected application/json");
    }
    int schemaVersion = (int) optionalLong(json, "schemaversion", reg.schemaVersion());
    Object rawData = json.getValue("data");
    if (!(rawData instanceof JsonObject data)) {
      throw new CloudEventFormatException("data", rawData == null ? "missing" : "must be a JSON object");
    }
    String aggregateType = optionalString(json, "aggregatetype");
    String correlation = optionalString(json, "correlationid");
    return new EventEnvelope(id, source, type, time, subject, optionalString(json, "dataschema"),
        aggregateType == null ? reg.aggregateType() : aggregateType,
        optionalLong(json, "sequence", 0L),
        correlation == null ? id.toString() : correlation,
        optionalString(json, "causationid"),
        reg.schemaVersion(),
        optionalString(json, "traceparent"),
        registry.decode(type, schemaVersion, data));
  }

  /**
   * Parses a structured CloudEvent written by {@link #encode(RecordedEvent)}: the envelope plus the
   * {@code position} and {@code streamid} extensions.
   *
   * @throws CloudEventFormatException when an attribute (or one of the two extensions) is missing or malformed
   * @throws UnknownEventTypeException when the type is not registered
   * @throws EventDecodingException    when the data does not match the record
   */
  public RecordedEvent decodeRecorded(JsonObject json) {
    EventEnvelope envelope = decode(json);
    long position = optionalLong(json, "position", -1L);
    if (position < 1) {
      throw new CloudEventFormatException("position", position == -1L ? "required extension is missing" : "must be >= 1");
    }
    return new RecordedEvent(position, requiredString(json, "streamid"), envelope);
  }

  private static String requiredString(JsonObject json, String name) {
    Object v = json.getValue(name);
    if (v == null) {
      throw new CloudEventFormatException(name, "required attribute is missing");
    }
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new CloudEventFormatException(name, "must be a non-empty string");
    }
    return s;
  }

  private static String optionalString(JsonObject json, String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new CloudEventFormatException(name, "must be a string");
    }
    return s;
  }

  // CloudEvents integer extensions may arrive as JSON numbers or as their canonical string form
  private static long optionalLong(JsonObject json, String name, long fallback) {
    Object v = json.getValue(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    throw new CloudEventFormatException(name, "must be an integer, was '" + v + "'");
  }

  private static UUID uuid(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new CloudEventFormatException("id", "must be a UUID, was '" + value + "'");
    }
  }

  private static Instant instant(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new CloudEventFormatException("time", "must be an RFC 3339 timestamp, was '" + value + "'");
    }
  }
}
