package io.herald.event;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** Event-bus codec for {@link RecordedEvent}: position and stream id in front of the envelope's wire form. */
public final class RecordedEventCodec implements MessageCodec<RecordedEvent, RecordedEvent> {

  public static final String NAME = "herald.recorded-event";

  private final EnvelopeWireFormat wire;

  public RecordedEventCodec(EventRegistry registry) {
    this(registry, WireDataFormat.BINARY);
  }

  public RecordedEventCodec(EventRegistry registry, WireDataFormat dataFormat) {
    this.wire = new EnvelopeWireFormat(registry, dataFormat);
  }

  @Override
  public void encodeToWire(Buffer buffer, RecordedEvent event) {
    WireWriter out = new WireWriter(512);
    out.writeLong(event.position()).writeString(event.streamId());
    wire.write(out, event.envelope());
    buffer.appendBytes(out.array(), 0, out.size());
  }

  @Override
  public RecordedEvent decodeFromWire(int pos, Buffer buffer) {
    WireReader in = new WireReader(buffer.getBytes(pos, buffer.length()), 0);
    long position = in.readLong();
    String stream = in.readString();
    return new RecordedEvent(position, stream, wire.read(in));
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
