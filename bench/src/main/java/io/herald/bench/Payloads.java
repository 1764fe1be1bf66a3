package io.herald.bench;

import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.EventJson;
import io.herald.event.EventRegistry;
import io.herald.event.domain.Address;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The benchmark's event: an {@code order.created} with two lines and a shipping address, about 300 bytes of JSON data. */
final class Payloads {

  static final EventRegistry REGISTRY = BlueprintEvents.registry();
  static final String SOURCE = "/herald/order";

  private static final EventFactory FACTORY = new EventFactory(REGISTRY, SOURCE);

  private Payloads() {
  }

  /** @return the order record of one aggregate; {@code orderId} becomes the envelope's subject */
  static OrderCreated order(String orderId) {
    return new OrderCreated(orderId, "usr-000472", "ada@example.org",
        List.of(new OrderItem("SKU-CHAIR-01", 2, new BigDecimal("149.90")),
            new OrderItem("SKU-DESK-42", 1, new BigDecimal("389.00"))),
        new BigDecimal("688.80"),
        new Address("Königstraße 12", "Zürich", "8001", "CH"), "tok_visa");
  }

  /** @return an envelope as a producing service creates it */
  static EventEnvelope envelope(String orderId) {
    return FACTORY.create(order(orderId));
  }

  /** @return the UTF-8 size of an order's JSON data */
  static int dataBytes(OrderCreated order) {
    return EventJson.toBytes(order).length;
  }

  /**
   * @return {@code n} new events of one flow: each has its own id and the current time; data, correlation and
   *     the other attributes come from {@code template}
   */
  static List<EventEnvelope> batch(EventEnvelope template, int n) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<EventEnvelope> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      events.add(new EventEnvelope(randomId(), template.source(), template.type(), now, template.subject(), template.dataschema(),
          template.aggregatetype(), 0L, template.correlationid(), template.causationid(), template.schemaversion(),
          template.traceparent(), template.data()));
    }
    return events;
  }

  /**
   * A version-4 UUID from {@link ThreadLocalRandom}: {@link UUID#randomUUID()} goes through a shared SecureRandom,
   * which would put the load generator's own cost into the store figures.
   */
  static UUID randomId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
