package io.herald.broker;

import io.herald.event.CloudEventJson;
import io.herald.event.EventRegistry;
import io.herald.event.EventSchemaException;
import io.herald.event.RecordedEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The CloudEvents structured JSON binding of a stored event ({@code application/cloudevents+json}, with the
 * {@code position} and {@code streamid} extensions): what Redis Streams, NATS and the event-bus dead letters carry,
 * and what a third-party consumer reads with any CloudEvents SDK. Thread-safe.
 */
public final class StructuredCloudEvents {

  public static final String CONTENT_TYPE = CloudEventJson.MEDIA_TYPE;

  private final CloudEventJson json;

  public StructuredCloudEvents(EventRegistry registry) {
    this.json = new CloudEventJson(Objects.requireNonNull(registry, "registry"));
  }

  public Buffer encode(RecordedEvent event) {
    return json.encode(event).toBuffer();
  }

  public JsonObject encodeJson(RecordedEvent event) {
    return json.encode(event);
  }

  /**
   * @throws UndecodableMessageException when the bytes are not a JSON object, not a CloudEvent Herald wrote, or an
   *     event of an unknown type; the message names the problem
   */
  public RecordedEvent decode(Buffer bytes) {
    JsonObject document;
    try {
      document = bytes.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new UndecodableMessageException("not a JSON object: " + e.getMessage(), e);
    }
    if (document == null) {
      throw new UndecodableMessageException("not a JSON object: the body is empty", null);
    }
    return decode(document);
  }

  /** @throws UndecodableMessageException see {@link #decode(Buffer)} */
  public RecordedEvent decode(JsonObject document) {
    try {
      return json.decodeRecorded(document);
    } catch (EventSchemaException | IllegalArgumentException e) {
      throw new UndecodableMessageException(e.getMessage(), e);
    }
  }
}
