package io.herald.broker.redis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.herald.event.EventEnvelope;
import io.herald.event.EventJson;
import io.herald.event.EventRegistry;
import io.herald.event.EventSchemaException;
import io.herald.event.RecordedEvent;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Objects;

/**
 * Writes the structured CloudEvents document of a recorded event straight to bytes: the same attributes, in the
 * same order, with the same data mapping ({@link EventJson#mapper()}) as {@link io.herald.event.CloudEventJson},
 * without building a {@code JsonObject} tree first (publishing spends most of its time encoding otherwise).
 * Thread-safe.
 */
final class CloudEventWriter {

  private static final SerializedString SPECVERSION = new SerializedString("specversion");
  private static final SerializedString ID = new SerializedString("id");
  private static final SerializedString SOURCE = new SerializedString("source");
  private static final SerializedString TYPE = new SerializedString("type");
  private static final SerializedString TIME = new SerializedString("time");
  private static final SerializedString SUBJECT = new SerializedString("subject");
  private static final SerializedString DATACONTENTTYPE = new SerializedString("datacontenttype");
  private static final SerializedString DATASCHEMA = new SerializedString("dataschema");
  private static final SerializedString AGGREGATETYPE = new SerializedString("aggregatetype");
  private static final SerializedString SEQUENCE = new SerializedString("sequence");
  private static final SerializedString CORRELATIONID = new SerializedString("correlationid");
  private static final SerializedString CAUSATIONID = new SerializedString("causationid");
  private static final SerializedString SCHEMAVERSION = new SerializedString("schemaversion");
  private static final SerializedString TRACEPARENT = new SerializedString("traceparent");
  private static final SerializedString DATA = new SerializedString("data");
  private static final SerializedString POSITION = new SerializedString("position");
  private static final SerializedString STREAMID = new SerializedString("streamid");
  private static final SerializedString SPEC_VERSION = new SerializedString(EventEnvelope.SPEC_VERSION);
  private static final SerializedString DATA_CONTENT_TYPE = new SerializedString(EventEnvelope.DATA_CONTENT_TYPE);

  private final EventRegistry registry;
  private final ObjectMapper mapper = EventJson.mapper();
  // one prepared writer per record class: skips the per-call serializer lookup
  private final ClassValue<ObjectWriter> writers = new ClassValue<>() {
    @Override
    protected ObjectWriter computeValue(Class<?> type) {
      return mapper.writerFor(type);
    }
  };

  CloudEventWriter(EventRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** @throws io.herald.event.UnknownEventTypeException when the event's record class is not registered */
  Buffer write(RecordedEvent event) {
    return Buffer.buffer(bytes(event));
  }

  /** @return the document as UTF-8 bytes; see {@link #write(RecordedEvent)} */
  byte[] bytes(RecordedEvent event) {
    EventEnvelope e = event.envelope();
    registry.byClass(e.data().getClass());
    ByteArrayBuilder bytes = new ByteArrayBuilder(512);
    try (JsonGenerator json = mapper.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeFieldName(SPECVERSION);
      json.writeString(SPEC_VERSION);
      json.writeFieldName(ID);
      json.writeString(e.id().toString());
      json.writeFieldName(SOURCE);
      json.writeString(e.source());
      json.writeFieldName(TYPE);
      json.writeString(e.type());
      json.writeFieldName(TIME);
      json.writeString(e.time().toString());
      json.writeFieldName(SUBJECT);
      json.writeString(e.subject());
      json.writeFieldName(DATACONTENTTYPE);
      json.writeString(DATA_CONTENT_TYPE);
      if (e.dataschema() != null) {
        json.writeFieldName(DATASCHEMA);
        json.writeString(e.dataschema());
      }
      json.writeFieldName(AGGREGATETYPE);
      json.writeString(e.aggregatetype());
      json.writeFieldName(SEQUENCE);
      json.writeNumber(e.sequence());
      json.writeFieldName(CORRELATIONID);
      json.writeString(e.correlationid());
      if (e.causationid() != null) {
        json.writeFieldName(CAUSATIONID);
        json.writeString(e.causationid());
      }
      json.writeFieldName(SCHEMAVERSION);
      json.writeNumber(e.schemaversion());
      if (e.traceparent() != null) {
        json.writeFieldName(TRACEPARENT);
        json.writeString(e.traceparent());
      }
      json.writeFieldName(DATA);
      writers.get(e.data().getClass()).writeValue(json, e.data());
      json.writeFieldName(POSITION);
      json.writeNumber(event.position());
      json.writeFieldName(STREAMID);
      json.writeString(event.streamId());
      json.writeEndObject();
    } catch (IOException ex) {
      throw new EventSchemaException("cannot encode " + e.type() + " at position " + event.position() + ": "
          + ex.getMessage(), ex);
    }
    return bytes.toByteArray();
  }
}
