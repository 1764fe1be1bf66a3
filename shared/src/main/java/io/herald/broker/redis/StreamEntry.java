package io.herald.broker.redis;

import io.vertx.core.buffer.Buffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a Redis stream as read: the stream key, the entry id and the field/value pairs in their order.
 *
 * @param stream the stream key, e.g. {@code events.order}
 * @param id     the entry id, e.g. {@code 1712345678901-0}
 * @param fields field name to raw value; empty for an entry that was deleted while pending
 */
record StreamEntry(String stream, String id, Map<String, Buffer> fields) {

  StreamEntry {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(id, "id");
    fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** @return a field as UTF-8 text, or {@code null} when absent */
  String text(String field) {
    Buffer value = fields.get(field);
    return value == null ? null : value.toString();
  }

  /** @return where it was read from, as {@link io.herald.broker.RawMessage#destination()} shows it */
  String destination() {
    return stream + " " + id;
  }
}
