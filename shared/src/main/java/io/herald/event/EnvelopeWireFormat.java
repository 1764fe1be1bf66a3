package io.herald.event;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The compact binary form of an envelope for a clustered event bus: fixed-width attributes, length-prefixed
 * UTF-8 strings and the data as JSON bytes. The data keeps its schema version, so a node with a newer record
 * version upcasts on arrival.
 */
public final class EnvelopeWireFormat {

  private static final byte FORMAT = 1;

  private final EventRegistry registry;

  public EnvelopeWireFormat(EventRegistry registry) {
    this.registry = registry;
  }

  /** Appends the wire form of {@code e} to {@code buf}. */
  public void write(Buffer buf, EventEnvelope e) {
    byte[] data = EventJson.toBytes(e.data());
    buf.appendByte(FORMAT)
        .appendLong(e.id().getMostSignificantBits())
        .appendLong(e.id().getLeastSignificantBits())
        .appendLong(e.time().getEpochSecond())
        .appendInt(e.time().getNano())
        .appendLong(e.sequence())
        .appendInt(e.schemaversion());
    writeString(buf, e.source());
    writeString(buf, e.type());
    writeString(buf, e.subject());
    writeString(buf, e.dataschema());
    writeString(buf, e.aggregatetype());
    writeString(buf, e.correlationid());
    writeString(buf, e.causationid());
    writeString(buf, e.traceparent());
    buf.appendInt(data.length).appendBytes(data);
  }

  /** Reads an envelope written by {@link #write}; {@code cursor[0]} is the start and is advanced past it. */
  public EventEnvelope read(Buffer buf, int[] cursor) {
    int pos = cursor[0];
    byte format = buf.getByte(pos);
    if (format != FORMAT) {
      throw new EventSchemaException("unsupported envelope wire format " + format + ", expected " + FORMAT);
    }
    pos++;
    UUID id = new UUID(buf.getLong(pos), buf.getLong(pos + 8));
    Instant time = Instant.ofEpochSecond(buf.getLong(pos + 16), buf.getInt(pos + 24));
    long sequence = buf.getLong(pos + 28);
    int schemaVersion = buf.getInt(pos + 36);
    cursor[0] = pos + 40;
    String source = readString(buf, cursor);
    String type = readString(buf, cursor);
    String subject = readString(buf, cursor);
    String dataschema = readString(buf, cursor);
    String aggregateType = readString(buf, cursor);
    String correlation = readString(buf, cursor);
    String causation = readString(buf, cursor);
    String traceparent = readString(buf, cursor);
    int len = buf.getInt(cursor[0]);
    byte[] json = buf.getBytes(cursor[0] + 4, cursor[0] + 4 + len);
    cursor[0] += 4 + len;
    EventRegistry.Registration reg = registry.byType(type);
    DomainEvent data = schemaVersion == reg.schemaVersion()
        ? EventJson.fromBytes(type, json, 0, json.length, reg.recordClass())
        : registry.decode(type, schemaVersion, new JsonObject(Buffer.buffer(json)));
    return new EventEnvelope(id, source, type, time, subject, dataschema, aggregateType, sequence, correlation, causation,
        reg.schemaVersion(), traceparent, data);
  }

  private static void writeString(Buffer buf, String s) {
    if (s == null) {
      buf.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buf.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String readString(Buffer buf, int[] cursor) {
    int len = buf.getInt(cursor[0]);
    cursor[0] += 4;
    if (len < 0) {
      return null;
    }
    String s = buf.getString(cursor[0], cursor[0] + len, "UTF-8");
    cursor[0] += len;
    return s;
  }
}
