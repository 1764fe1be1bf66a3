package io.herald.store.pg;

import io.herald.event.DomainEvent;
import io.herald.event.EventEnvelope;
import io.herald.event.EventJson;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Maps envelopes to the {@code events} table's columns and rows back to recorded events. */
final class EventRows {

  /** Columns in the order {@link #decode} reads them; data and metadata come as text to parse them only once. */
  static final String COLUMNS = "p.position, e.stream_id, e.version, e.event_id, e.type, e.schema_version, e.occurred_at,"
      + " e.data::text, e.metadata::text";

  /** The events with their global positions; a committed event always has both rows. */
  static final String FROM = " FROM positions p JOIN events e ON e.stream_id = p.stream_id AND e.version = p.version";

  private final EventRegistry registry;

  EventRows(EventRegistry registry) {
    this.registry = registry;
  }

  String data(EventEnvelope e) {
    return new String(EventJson.toBytes(e.data()), StandardCharsets.UTF_8);
  }

  String metadata(EventEnvelope e) {
    JsonObject m = new JsonObject()
        .put("source", e.source())
        .put("subject", e.subject())
        .put("aggregatetype", e.aggregatetype())
        .put("correlationid", e.correlationid());
    putIfPresent(m, "causationid", e.causationid());
    putIfPresent(m, "traceparent", e.traceparent());
    putIfPresent(m, "dataschema", e.dataschema());
    return m.encode();
  }

  RecordedEvent decode(Row row) {
    long position = row.getLong(0);
    String streamId = row.getString(1);
    long version = row.getLong(2);
    UUID id = row.getUUID(3);
    String type = row.getString(4);
    int schemaVersion = row.getInteger(5);
    EventRegistry.Registration reg = registry.byType(type);
    String json = row.getString(7);
    DomainEvent data;
    if (schemaVersion == reg.schemaVersion()) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      data = EventJson.fromBytes(type, bytes, 0, bytes.length, reg.recordClass());
    } else {
      data = registry.decode(type, schemaVersion, new JsonObject(json));
    }
    JsonObject m = new JsonObject(row.getString(8));
    EventEnvelope envelope = new EventEnvelope(id, m.getString("source"), type, row.getOffsetDateTime(6).toInstant(),
        m.getString("subject"), m.getString("dataschema"), m.getString("aggregatetype"), version,
        m.getString("correlationid"), m.getString("causationid"), reg.schemaVersion(), m.getString("traceparent"), data);
    return new RecordedEvent(position, streamId, envelope);
  }

  private static void putIfPresent(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
