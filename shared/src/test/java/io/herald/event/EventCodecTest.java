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
}
