package io.herald.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Event-bus codecs")
class EventCodecTest {

  private static final EventRegistry REGISTRY = BlueprintEvents.registry();
  private static final EventFactory FACTORY = new EventFactory(REGISTRY, "/herald/test");

  static java.util.stream.Stream<DomainEvent> samples() {
    return SampleEvents.all().stream();
  }

  @Test
  @DisplayName("the samples cover every registered event type")
  void samplesCoverRegistry() {
    assertThat(SampleEvents.all().stream().map(e -> REGISTRY.byClass(e.getClass()).type()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(REGISTRY.registrations().stream().map(EventRegistry.Registration::type).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  @DisplayName("every event type survives the envelope wire form unchanged")
  void envelopeWireRoundTrip(DomainEvent data) {
    EventEnvelope envelope = FACTORY.create(data).withSequence(7).withTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .withCorrelation("corr-1", UUID.randomUUID().toString());
    EnvelopeCodec codec = new EnvelopeCodec(REGISTRY);
    Buffer wire = Buffer.buffer("prefix");

    codec.encodeToWire(wire, envelope);
    EventEnvelope decoded = codec.decodeFromWire(6, wire);

    assertThat(decoded).isEqualTo(envelope);
    assertThat(codec.transform(envelope)).isSameAs(envelope);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  @DisplayName("every event type survives the recorded-event wire form unchanged")
  void recordedWireRoundTrip(DomainEvent data) {
    RecordedEvent recorded = new RecordedEvent(123_456_789L, "stream-é", FACTORY.create(data).withSequence(3));
    RecordedEventCodec codec = new RecordedEventCodec(REGISTRY);
    Buffer wire = Buffer.buffer();

    codec.encodeToWire(wire, recorded);

    assertThat(codec.decodeFromWire(0, wire)).isEqualTo(recorded);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  @DisplayName("every event type survives structured CloudEvents JSON unchanged")
  void cloudEventJsonRoundTrip(DomainEvent data) {
    CloudEventJson format = new CloudEventJson(REGISTRY);
    EventEnvelope envelope = FACTORY.create(data).withSequence(2);

    assertThat(format.decode(format.encode(envelope).toBuffer())).isEqualTo(envelope);
  }

  @Test
  @DisplayName("the event bus hands local consumers the same instance, selected by codec for the whole hierarchy")
  void localDeliveryIsZeroCopy() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      EventCodecs.register(vertx.eventBus(), REGISTRY);
      EventEnvelope envelope = FACTORY.create(SampleEvents.orderCreated("o-9"));
      vertx.eventBus().<EventEnvelope>consumer("test.echo", msg -> msg.reply(msg.body())).completion().await(5, TimeUnit.SECONDS);

      Message<EventEnvelope> reply = vertx.eventBus().<EventEnvelope>request("test.echo", envelope).await(5, TimeUnit.SECONDS);

      assertThat(reply.body()).isSameAs(envelope);
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a wire form naming an unknown type fails with an error naming the type")
  void unknownTypeOnWire() {
    EventRegistry small = EventRegistry.builder().register(io.herald.event.domain.UserRegistered.class).build();
    Buffer wire = Buffer.buffer();
    new EnvelopeCodec(REGISTRY).encodeToWire(wire, FACTORY.create(SampleEvents.orderCreated("o-1")));

    assertThatThrownBy(() -> new EnvelopeCodec(small).decodeFromWire(0, wire))
        .isInstanceOf(UnknownEventTypeException.class)
        .hasMessageContaining("'order.created'");
  }

  enum Channel { EMAIL, SMS }

  record Line(String name, java.math.BigDecimal amount) {
  }

  @EventType(value = "test.everything", aggregate = "test")
  record Everything(String id, String nullable, int count, Long boxed, boolean flag, double ratio, java.time.Instant at,
                    java.util.UUID ref, Channel channel, java.math.BigDecimal huge, java.util.List<Line> lines,
                    java.util.List<String> tags, Line optionalLine) implements DomainEvent {
    @Override
    public String aggregateId() {
      return id;
    }
  }

  @Test
  @DisplayName("the binary wire form keeps nulls, enums, instants, UUIDs, huge decimals and nested lists exactly")
  void binaryFormCoversComponentTypes() {
    EventRegistry registry = EventRegistry.builder().register(Everything.class).build();
    Everything data = new Everything("t-1", null, -3, null, true, 0.25, java.time.Instant.parse("2026-11-27T10:00:00.123456789Z"),
        UUID.randomUUID(), Channel.SMS, new java.math.BigDecimal("123456789012345678901234567890.000000001"),
        java.util.List.of(new Line("a", new java.math.BigDecimal("-0.01")), new Line("b", java.math.BigDecimal.ZERO)),
        java.util.List.of(), null);
    EventEnvelope envelope = new EventFactory(registry, "/t").create(data);
    EnvelopeCodec codec = new EnvelopeCodec(registry);
    Buffer wire = Buffer.buffer();

    codec.encodeToWire(wire, envelope);

    assertThat(codec.decodeFromWire(0, wire)).isEqualTo(envelope);
  }

  @EventType(value = "test.renamed", aggregate = "test", version = 1)
  record RenamedV1(String id, String first, String last) implements DomainEvent {
    @Override
    public String aggregateId() {
      return id;
    }
  }

  @EventType(value = "test.renamed", aggregate = "test", version = 2)
  record RenamedV2(String id, String fullName) implements DomainEvent {
    @Override
    public String aggregateId() {
      return id;
    }
  }

  @Test
  @DisplayName("between nodes on different event versions: JSON wire data is upcast, binary is refused naming both versions")
  void mixedVersionNodes() {
    EventRegistry oldNode = EventRegistry.builder().register(RenamedV1.class).build();
    EventRegistry newNode = EventRegistry.builder().register(RenamedV2.class)
        .upcaster("test.renamed", 1, d -> d.put("fullName", d.getString("first") + " " + d.getString("last")))
        .build();
    EventEnvelope sent = new EventFactory(oldNode, "/old").create(new RenamedV1("r-1", "Ada", "Lovelace"));

    Buffer json = Buffer.buffer();
    new EnvelopeCodec(oldNode, WireDataFormat.JSON).encodeToWire(json, sent);
    Buffer binary = Buffer.buffer();
    new EnvelopeCodec(oldNode, WireDataFormat.BINARY).encodeToWire(binary, sent);

    assertThat(new EnvelopeCodec(newNode, WireDataFormat.JSON).decodeFromWire(0, json).data())
        .isEqualTo(new RenamedV2("r-1", "Ada Lovelace"));
    assertThatThrownBy(() -> new EnvelopeCodec(newNode).decodeFromWire(0, binary))
        .isInstanceOf(EventSchemaException.class)
        .hasMessageContaining("'test.renamed'").hasMessageContaining("version 1").hasMessageContaining("version 2");
  }
}
