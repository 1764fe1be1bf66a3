package io.herald.broker.redis;

import io.herald.broker.RawMessage;
import io.herald.broker.StructuredCloudEvents;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The CloudEvents binding of a stream entry. Herald writes three fields, in this order:
 * <ul>
 *   <li>{@code type}: the CloudEvents type ({@code order.paid}), to filter without parsing;</li>
 *   <li>{@code stream}: the event's stream id ({@code order-42}), the ordering key;</li>
 *   <li>{@code event}: the whole event in the structured JSON format ({@value StructuredCloudEvents#CONTENT_TYPE}),
 *       with the extensions {@code position} and {@code streamid}.</li>
 * </ul>
 * As a {@link RawMessage}, an entry is its {@code event} field (or, when it has none, all its fields as one JSON
 * object) with the other fields as headers. Thread-safe.
 */
final class RedisBinding {

  static final String TYPE = "type";
  static final String STREAM = "stream";
  static final String EVENT = "event";

  private final StructuredCloudEvents cloudEvents;
  private final CloudEventWriter writer;

  RedisBinding(EventRegistry registry) {
    this.cloudEvents = new StructuredCloudEvents(Objects.requireNonNull(registry, "registry"));
    this.writer = new CloudEventWriter(registry);
  }

  /** @return the XADD of {@code event} to {@code streamKey}, trimmed to about {@code maxLen} entries unless 0 */
  Request xadd(String streamKey, long maxLen, RecordedEvent event) {
    Request xadd = Request.cmd(Command.XADD).arg(streamKey);
    if (maxLen > 0) {
      xadd.arg("MAXLEN").arg("~").arg(maxLen);
    }
    return xadd.arg("*")
        .arg(TYPE).arg(event.type())
        .arg(STREAM).arg(event.streamId())
        .arg(EVENT).arg(writer.bytes(event));
  }

  /** @return the entry as a raw message: its {@code event} bytes and the other fields as headers */
  RawMessage raw(StreamEntry entry) {
    Map<String, String> headers = new LinkedHashMap<>();
    Buffer event = entry.fields().get(EVENT);
    JsonObject whole = event == null ? new JsonObject() : null;
    entry.fields().forEach((field, value) -> {
      if (!EVENT.equals(field)) {
        headers.put(field, value.toString());
      }
      if (whole != null) {
        whole.put(field, value.toString());
      }
    });
    return new RawMessage(event != null ? event : whole.toBuffer(), headers, entry.destination());
  }

  /**
   * @return the event an entry carries
   * @throws UndecodableMessageException when it has no {@code event} field or that field is not a Herald CloudEvent
   */
  RecordedEvent decode(StreamEntry entry) {
    Buffer event = entry.fields().get(EVENT);
    if (event == null) {
      throw new UndecodableMessageException("stream entry " + entry.destination() + " has no '" + EVENT
          + "' field (fields: " + String.join(", ", entry.fields().keySet()) + ")", null);
    }
    return cloudEvents.decode(event);
  }

  /** @throws UndecodableMessageException when the payload is not a Herald CloudEvent */
  RecordedEvent decode(RawMessage message) {
    return cloudEvents.decode(message.payload());
  }
}
