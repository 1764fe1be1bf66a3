package io.herald.store.pg;

import io.herald.event.DomainEvent;
import io.herald.event.EventEnvelope;
import io.herald.event.EventJson;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/** Maps envelopes to the {@code events} table's columns and rows back to recorded events. */
final class EventRows {

  /** Columns in the order {@link #decode} reads them; data and metadata come as text to parse them only once. */
  static final String COLUMNS = "p.position, e.stream_id, e.version, e.event_id, e.type, e.schema_version, e.occurred_at,"
      + " e.data::text, e.metadata::text";

  /**
   * The events with their global positions; a committed event always has both rows. Each event's position is looked
   * up by its id (a LATERAL subquery the planner cannot flatten): joined freely, a planner without fresh statistics
   * scanned every position to read one stream.
   */
  static final String FROM = " FROM events e"
      + " CROSS JOIN LATERAL (SELECT q.position FROM positions q WHERE q.event_id = e.event_id OFFSET 0) p";

  private final EventRegistry registry;
  private final RecentEvents recent;

  /** @param recent events decoded lately, reused when a row holds one of them */
  EventRows(EventRegistry registry, RecentEvents recent) {
    this.registry = registry;
    this.recent = recent;
  }

  String data(EventEnvelope e) {
    return EventJson.toText(e.data());
  }

  String metadata(EventEnvelope e) {
    return StoredMetadata.of(e).encode();
  }

  RecordedEvent decode(Row row) {
    long position = row.getLong(0);
    UUID id = row.getUUID(3);
    RecordedEvent known = recent.get(position, id);
    if (known != null) {
      return known;
    }
    RecordedEvent decoded = parse(row, position, id);
    recent.put(decoded);
    return decoded;
  }

  private RecordedEvent parse(Row row, long position, UUID id) {
    String streamId = row.getString(1);
    long version = row.getLong(2);
    String type = row.getString(4);
    int schemaVersion = row.getInteger(5);
    EventRegistry.Registration reg = registry.byType(type);
    String json = row.getString(7);
    DomainEvent data = schemaVersion == reg.schemaVersion()
        ? EventJson.fromString(type, json, reg.recordClass())
        : registry.decode(type, schemaVersion, new JsonObject(json));
    StoredMetadata m = StoredMetadata.parse(row.getString(8));
    EventEnvelope envelope = new EventEnvelope(id, m.source(), type, row.getOffsetDateTime(6).toInstant(),
        m.subject(), m.dataschema(), m.aggregatetype(), version,
        m.correlationid(), m.causationid(), reg.schemaVersion(), m.traceparent(), data);
    return new RecordedEvent(position, streamId, envelope);
  }
}
