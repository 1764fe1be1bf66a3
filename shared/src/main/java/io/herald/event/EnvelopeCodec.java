package io.herald.event;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** Event-bus codec for {@link EventEnvelope}: the same immutable instance locally, the compact wire form across nodes. */
public final class EnvelopeCodec implements MessageCodec<EventEnvelope, EventEnvelope> {

  public static final String NAME = "herald.envelope";

  private final EnvelopeWireFormat wire;

  public EnvelopeCodec(EventRegistry registry) {
    this(registry, WireDataFormat.BINARY);
  }

  public EnvelopeCodec(EventRegistry registry, WireDataFormat dataFormat) {
    this.wire = new EnvelopeWireFormat(registry, dataFormat);
  }

  @Override
  public void encodeToWire(Buffer buffer, EventEnvelope envelope) {
    wire.write(buffer, envelope);
  }

  @Override
  public EventEnvelope decodeFromWire(int pos, Buffer buffer) {
    return wire.read(buffer, new int[] {pos});
  }

  @Override
  public EventEnvelope transform(EventEnvelope envelope) {
    return envelope;
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
