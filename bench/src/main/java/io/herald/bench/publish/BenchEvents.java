package io.herald.bench.publish;

import io.herald.broker.StructuredCloudEvents;
import io.herald.event.EventFactory;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.OrderPaid;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's events: payments of 1,000 orders in turn, about 300 bytes of CloudEvent each. */
final class BenchEvents {

  private BenchEvents() {
  }

  static List<RecordedEvent> make(EventRegistry registry, int count) {
    EventFactory factory = new EventFactory(registry, "/herald/bench");
    List<RecordedEvent> events = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      String orderId = "ord-" + (i % 1000);
      events.add(new RecordedEvent(i, orderId, factory.create(new OrderPaid(orderId, "pay-" + i, new BigDecimal("42.50")))));
    }
    return events;
  }

  /** The same events as bytes, for the raw clients: the structured CloudEvents JSON. */
  static List<Buffer> payloads(EventRegistry registry, List<RecordedEvent> events) {
    StructuredCloudEvents json = new StructuredCloudEvents(registry);
    List<Buffer> payloads = new ArrayList<>(events.size());
    events.forEach(e -> payloads.add(json.encode(e)));
    return payloads;
  }
}
