package io.herald.event;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/** Event-bus codec for {@link RecordedEvent}: position and stream id in front of the envelope's wire form. */
public final class RecordedEventCodec implements MessageCodec<RecordedEvent, RecordedEvent> {

  public static final String NAME = "herald.recorded-event";

  private final EnvelopeWireFormat wire;

  public RecordedEventCodec(EventRegistry registry) {
    this.wire = new EnvelopeWireFormat(registry);
  }

  @Override
  public void encodeToWire(Buffer buffer, RecordedEvent event) {
    byte[] stream = event.streamId().getBytes(StandardCharsets.UTF_8);
    buffer.appendLong(event.position()).appendInt(stream.length).appendBytes(stream);
    wire.write(buffer, event.envelope());
  }

  @Override
  public RecordedEvent decodeFromWire(int pos, Buffer buffer) {
    long position = buffer.getLong(pos);
    int len = buffer.getInt(pos + 8);
    String stream = buffer.getString(pos + 12, pos + 12 + len, "UTF-8");
    int[] cursor = {pos + 12 + len};
    return new RecordedEvent(position, stream, wire.read(buffer, cursor));
  }

  @Override
  public RecordedEvent transform(RecordedEvent event) {
    return event;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
