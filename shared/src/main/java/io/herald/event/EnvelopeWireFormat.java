package io.herald.event;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * The compact binary form of an envelope for a clustered event bus: fixed-width attributes, length-prefixed
 * UTF-8 strings, then the data. The data travels in {@link WireDataFormat#BINARY} form (record components,
 * no names) when both nodes run the same schema version of the event, or as JSON, which a node with a newer
 * record version upcasts on arrival. A binary payload at a schema version the receiver does not run is refused
 * with an error naming the type and both versions, never decoded into the wrong shape.
 */
public final class EnvelopeWireFormat {

  private static final byte FORMAT = 1;
  private static final byte DATA_BINARY = 1;
  private static final byte DATA_JSON = 2;

  private final EventRegistry registry;
  private final WireDataFormat dataFormat;
  private final RecordBinaryFormat binary = new RecordBinaryFormat();

  public EnvelopeWireFormat(EventRegistry registry) {
    this(registry, WireDataFormat.BINARY);
  }

  public EnvelopeWireFormat(EventRegistry registry, WireDataFormat dataFormat) {
    this.registry = registry;
    this.dataFormat = dataFormat;
  }

  /** Appends the wire form of {@code e} to {@code buf}. */
  public void write(Buffer buf, EventEnvelope e) {
    WireWriter out = new WireWriter(512);
    write(out, e);
    buf.appendBytes(out.array(), 0, out.size());
  }

  void write(WireWriter out, EventEnvelope e) {
    out.writeByte(FORMAT)
        .writeLong(e.id().getMostSignificantBits())
        .writeLong(e.id().getLeastSignificantBits())
        .writeLong(e.time().getEpochSecond())
        .writeInt(e.time().getNano())
        .writeLong(e.sequence())
        .writeInt(e.schemaversion())
        .writeString(e.source())
        .writeString(e.type())
        .writeString(e.subject())
        .writeString(e.dataschema())
        .writeString(e.aggregatetype())
        .writeString(e.correlationid())
        .writeString(e.causationid())
        .writeString(e.traceparent());
    if (dataFormat == WireDataFormat.BINARY && binary.supports(e.data().getClass())) {
      out.writeByte(DATA_BINARY);
      binary.write(out, e.data());
    } else {
      byte[] data = EventJson.toBytes(e.data());
      out.writeByte(DATA_JSON).writeInt(data.length).writeBytes(data);
    }
  }

  /** Reads an envelope written by {@link #write}; {@code cursor[0]} is the start and is advanced past it. */
  public EventEnvelope read(Buffer buf, int[] cursor) {
    byte[] bytes = buf.getBytes(cursor[0], buf.length());
    WireReader in = new WireReader(bytes, 0);
    EventEnvelope e = read(in);
    cursor[0] += in.position();
    return e;
  }

  EventEnvelope read(WireReader in) {
    byte format = in.readByte();
    if (format != FORMAT) {
      throw new EventSchemaException("unsupported envelope wire format " + format + ", expected " + FORMAT);
    }
    UUID id = new UUID(in.readLong(), in.readLong());
    long seconds = in.readLong();
    Instant time = Instant.ofEpochSecond(seconds, in.readInt());
    long sequence = in.readLong();
    int schemaVersion = in.readInt();
    String source = in.readString();
    String type = in.readString();
    String subject = in.readString();
    String dataschema = in.readString();
    String aggregateType = in.readString();
    String correlation = in.readString();
    String causation = in.readString();
    String traceparent = in.readString();
    EventRegistry.Registration reg = registry.byType(type);
    byte form = in.readByte();
    DomainEvent data;
    if (form == DATA_BINARY) {
      if (schemaVersion != reg.schemaVersion()) {
        throw new EventSchemaException("event '" + type + "' arrived in binary form at schema version " + schemaVersion
            + ", but this node runs version " + reg.schemaVersion() + "; use the JSON wire data format while versions differ");
      }
      data = binary.read(reg.recordClass(), in);
    } else if (form == DATA_JSON) {
      int len = in.readInt();
      data = schemaVersion == reg.schemaVersion()
          ? in.readJson(type, len, reg.recordClass())
          : registry.decode(type, schemaVersion, new JsonObject(Buffer.buffer(in.readBytes(len))));
    } else {
      throw new EventSchemaException("unknown wire data form " + form + " for event '" + type + "'");
    }
    return new EventEnvelope(id, source, type, time, subject, dataschema, aggregateType, sequence, correlation, causation,
        reg.schemaVersion(), traceparent, data);
  }
}
