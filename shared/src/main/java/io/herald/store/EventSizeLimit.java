package io.herald.store;

import io.herald.event.EventEnvelope;
import io.herald.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The largest event a store takes, so that whatever is stored can be published: an event's size is its data as
 * JSON plus its attributes, in UTF-8 bytes (what every broker binding carries, give or take a few header names).
 *
 * @param maxBytes the limit, in bytes; default {@value #DEFAULT_MAX_EVENT_BYTES} (512 KiB: under the 1 MiB that
 *                 Kafka and NATS take by default, with room for headers)
 */
public record EventSizeLimit(int maxBytes) {

  public static final int DEFAULT_MAX_EVENT_BYTES = 512 * 1024;

  /** The default limit. */
  public static final EventSizeLimit DEFAULT = new EventSizeLimit(DEFAULT_MAX_EVENT_BYTES);

  public EventSizeLimit {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxEventBytes must be >= 1, was " + maxBytes);
    }
  }

  /** @return the first event of the append over the limit, as a failure naming its size and the limit, or {@code null} */
  public EventTooLargeException check(String streamId, List<EventEnvelope> events) {
    for (int i = 0; i < events.size(); i++) {
      EventEnvelope e = events.get(i);
      long size = EventJson.toBytes(e.data()).length + utf8(e.source()) + utf8(e.type()) + utf8(e.subject())
          + utf8(e.dataschema()) + utf8(e.aggregatetype()) + utf8(e.correlationid()) + utf8(e.causationid())
          + utf8(e.traceparent()) + 36 + 64; // the id, and the time and numbers written as text
      if (size > maxBytes) {
        return new EventTooLargeException(streamId, i, e.type(), size, maxBytes);
      }
    }
    return null;
  }

  private static int utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
