package io.herald.broker.nats;

import io.herald.broker.RawMessage;
import io.herald.broker.StructuredCloudEvents;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.RecordedEvent;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.nats.client.impl.NatsMessage;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudEvents binding on NATS: the structured JSON form ({@link StructuredCloudEvents}) as the message data,
 * header {@code Content-Type: application/cloudevents+json}, header {@code Nats-Msg-Id} = the event id (JetStream
 * drops a second publish of it within the stream's duplicate window). Thread-safe.
 */
final class NatsBinding {

  static final String CONTENT_TYPE_HEADER = "Content-Type";
  static final String MSG_ID_HEADER = "Nats-Msg-Id";

  private final StructuredCloudEvents cloudEvents;
  private final NatsNames names;

  NatsBinding(StructuredCloudEvents cloudEvents, NatsNames names) {
    this.cloudEvents = cloudEvents;
    this.names = names;
  }

  /** @return the message to publish for {@code event}: subject {@code <namespace>.<type>}, headers, JSON data */
  Message encode(RecordedEvent event) {
    NatsNames.validateType(event.type());
    Headers headers = new Headers()
        .put(CONTENT_TYPE_HEADER, StructuredCloudEvents.CONTENT_TYPE)
        .put(MSG_ID_HEADER, event.envelope().id().toString());
    return NatsMessage.builder()
        .subject(names.subject(event.type()))
        .headers(headers)
        .data(cloudEvents.encode(event).getBytes())
        .build();
  }

  /** @throws UndecodableMessageException naming why the message is not an event */
  RecordedEvent decode(RawMessage message) {
    return cloudEvents.decode(message.payload());
  }

  /** @return the message as text headers and bytes, with where it was read from: {@code EVENTS events.order.paid #17} */
  static RawMessage raw(Message message) {
    byte[] data = message.getData();
    NatsJetStreamMetaData meta = message.isJetStream() ? message.metaData() : null;
    String destination = meta == null ? message.getSubject()
        : meta.getStream() + " " + message.getSubject() + " #" + meta.streamSequence();
    return new RawMessage(Buffer.buffer(data == null ? new byte[0] : data), headersOf(message.getHeaders()), destination);
  }

  /** @return the headers as text; a header with several values keeps them comma-separated */
  static Map<String, String> headersOf(Headers headers) {
    Map<String, String> text = new LinkedHashMap<>();
    if (headers != null) {
      for (String key : headers.keySet()) {
        List<String> values = headers.get(key);
        text.put(key, values == null ? "" : String.join(",", values));
      }
    }
    return text;
  }
}
