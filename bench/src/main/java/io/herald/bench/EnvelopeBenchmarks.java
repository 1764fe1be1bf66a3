package io.herald.bench;

import io.herald.event.CloudEventJson;
import io.herald.event.EnvelopeCodec;
import io.herald.event.EventEnvelope;
import io.herald.event.EventJson;
import io.herald.event.domain.OrderCreated;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One {@code order.created} envelope (about 300 bytes of data) through the event-bus codec and through the
 * CloudEvents JSON form; every operation is one envelope. Run by {@link CodecSuite} on a single thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeBenchmarks {

  /** Room for the whole wire form, so the buffer never grows during a write. */
  private static final int WIRE_CAPACITY = 1024;

  private EnvelopeCodec codec;
  private CloudEventJson cloudEvents;
  private EventEnvelope envelope;
  private OrderCreated data;
  private Buffer wire;
  private Buffer document;

  @Setup(Level.Trial)
  public void setUp() {
    codec = new EnvelopeCodec(Payloads.REGISTRY);
    cloudEvents = new CloudEventJson(Payloads.REGISTRY);
    envelope = Payloads.envelope("ord-2f6c1a9e");
    data = (OrderCreated) envelope.data();
    wire = Buffer.buffer(WIRE_CAPACITY);
    codec.encodeToWire(wire, envelope);
    document = cloudEvents.encode(envelope).toBuffer();
    // a benchmark of a codec that loses information would be worthless
    check(codec.decodeFromWire(0, wire), "EnvelopeCodec");
    check(cloudEvents.decode(document), "CloudEventJson");
  }

  /** encodeToWire into a fresh buffer, then decodeFromWire: what a clustered event bus does per message. */
  @Benchmark
  public EventEnvelope codecRoundTrip() {
    Buffer buffer = Buffer.buffer(WIRE_CAPACITY);
    codec.encodeToWire(buffer, envelope);
    return codec.decodeFromWire(0, buffer);
  }

  /** The encoding half of {@link #codecRoundTrip()}. */
  @Benchmark
  public Buffer codecEncode() {
    Buffer buffer = Buffer.buffer(WIRE_CAPACITY);
    codec.encodeToWire(buffer, envelope);
    return buffer;
  }

  /** The decoding half of {@link #codecRoundTrip()}. */
  @Benchmark
  public EventEnvelope codecDecode() {
    return codec.decodeFromWire(0, wire);
  }

  /** Structured CloudEvent to bytes and back: what a broker carrying whole documents costs per event. */
  @Benchmark
  public EventEnvelope cloudEventJsonRoundTrip() {
    Buffer bytes = cloudEvents.encode(envelope).toBuffer();
    return cloudEvents.decode(bytes);
  }

  /** Only the data record through Jackson, the floor under both envelope forms. */
  @Benchmark
  public OrderCreated dataJacksonRoundTrip() {
    byte[] json = EventJson.toBytes(data);
    return EventJson.fromBytes(envelope.type(), json, 0, json.length, OrderCreated.class);
  }

  private void check(EventEnvelope decoded, String what) {
    if (!decoded.equals(envelope)) {
      throw new IllegalStateException(what + " round trip changed the envelope:\n  " + envelope + "\n  " + decoded);
    }
  }
}
