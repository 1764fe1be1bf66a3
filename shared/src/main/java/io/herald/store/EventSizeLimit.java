package io.herald.store;

import io.herald.event.EventEnvelope;
import io.herald.event.EventJson;
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
    return check(streamId, events, events.stream().map(e -> EventJson.toText(e.data())).toList());
  }

  /**
   * As {@link #check(String, List)}, for a store that has already encoded each event's data as the JSON text it
   * writes: that text is measured rather than encoded a second time.
   *
   * @param dataJson each event's data as JSON, in the order of {@code events}
   */
  public EventTooLargeException check(String streamId, List<EventEnvelope> events, List<String> dataJson) {
    for (int i = 0; i < events.size(); i++) {
      EventEnvelope e = events.get(i);
      long size = utf8(dataJson.get(i)) + utf8(e.source()) + utf8(e.type()) + utf8(e.subject())
          + utf8(e.dataschema()) + utf8(e.aggregatetype()) + utf8(e.correlationid()) + utf8(e.causationid())
          + utf8(e.traceparent()) + 36 + 64; // the id, and the time and numbers written as text
      if (size > maxBytes) {
        return new EventTooLargeException(streamId, i, e.type(), size, maxBytes);
      }
    }
    return null;
  }

  // counted, not encoded: no copy of a large text just to learn its length
  private static long utf8(String s) {
    if (s == null) {
      return 0;
    }
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
