package io.herald.event;

import io.vertx.core.eventbus.EventBus;

/** Registers Herald's event-bus codecs. Call once per Vert.x instance (a second call on the same bus fails). */
public final class EventCodecs {

  private EventCodecs() {
  }

  public static void register(EventBus bus, EventRegistry registry) {
    register(bus, registry, WireDataFormat.BINARY);
  }

  /** Registers the codecs with an explicit wire data format (JSON while cluster nodes run different event versions). */
  public static void register(EventBus bus, EventRegistry registry, WireDataFormat dataFormat) {
    bus.registerCodec(new EnvelopeCodec(registry, dataFormat));
    bus.registerCodec(new RecordedEventCodec(registry, dataFormat));
    bus.codecSelector(body -> {
      if (body instanceof RecordedEvent) {
        return RecordedEventCodec.NAME;
      }
      if (body instanceof EventEnvelope) {
        return EnvelopeCodec.NAME;
      }
      return null;
    });
  }
}
