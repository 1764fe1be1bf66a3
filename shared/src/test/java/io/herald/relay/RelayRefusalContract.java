package io.herald.relay;

import static io.herald.broker.TestEvents.orderShipped;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.MessageBroker;
import io.herald.broker.TestEvents;
import io.herald.event.EventCodecs;
import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderPaid;
import io.herald.store.EventStore;
import io.herald.store.memory.InMemoryCheckpointStore;
import io.herald.store.memory.InMemoryEventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A relay in front of a broker that refuses events over a size limit of its own: the refused event is set aside with
 * the broker's reason, and the events around it are published in order.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = SECONDS)
public abstract class RelayRefusalContract {

  /** @return the broker-side limit per message the test sets, in bytes: normal events fit, one 4 times larger does not */
  protected int limitBytes() {
    return 4_096;
  }

  private static final EventFactory FACTORY = new EventFactory(BlueprintEvents.registry(), "/herald/test");

  /** @return a started broker of a namespace of its own whose broker-side limit per message is {@link #limitBytes()} */
  protected abstract MessageBroker startedBrokerWithLimit(Vertx vertx, String namespace) throws Exception;

  /** Closes what {@link #startedBrokerWithLimit} created. */
  protected abstract void cleanUp(Vertx vertx, String namespace, MessageBroker broker) throws Exception;

  @Test
  @DisplayName("an event the broker refuses as too large is set aside with the reason, and the events around it are published in order")
  void oversizedEventIsSetAsideAndTheRestFlows(Vertx vertx) throws Exception {
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    String namespace = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    MessageBroker broker = startedBrokerWithLimit(vertx, namespace);
    InMemoryEventStore store = new InMemoryEventStore(vertx);
    EventRelay relay = null;
    try {
      List<RecordedEvent> received = new CopyOnWriteArrayList<>();
      broker.subscribe("reader", List.of("order.*"), d -> {
        received.add(d.event());
        d.ack();
      }).await(30, SECONDS);
      List<RecordedEvent> refused = new CopyOnWriteArrayList<>();
      List<String> reasons = new CopyOnWriteArrayList<>();
      relay = new EventRelay(vertx, store, new InMemoryCheckpointStore(), broker, EventRelayOptions.fromJson(new JsonObject()
          .put("checkpointName", "relay-" + namespace).put("retryBaseMs", 10).put("retryCapMs", 200)))
          .onRefused((event, reason) -> {
            refused.add(event);
            reasons.add(reason.getMessage());
            return Future.succeededFuture();
          });
      relay.start().await(30, SECONDS);
      String stream = "order-" + namespace;

      store.append(stream, EventStore.ANY_VERSION, List.of(paid(stream, 10), orderShipped(stream))).await(10, SECONDS);
      store.append(stream, EventStore.ANY_VERSION, List.of(paid(stream, limitBytes() * 4), paid(stream, 10),
          orderShipped(stream))).await(10, SECONDS);
      store.append(stream, EventStore.ANY_VERSION, List.of(paid(stream, 10))).await(10, SECONDS);
      long deadline = System.nanoTime() + SECONDS.toNanos(60);
      EventRelay running = relay;
      while (received.stream().noneMatch(e -> e.position() == 6) || running.lastPublishedPosition() < 6) {
        assertThat(System.nanoTime()).as("the events after the refused one arrive within 60 s").isLessThan(deadline);
        TestEvents.pause(20);
      }

      assertThat(refused).extracting(RecordedEvent::position).containsExactly(3L);
      assertThat(reasons.get(0)).as("the broker's reason").isNotBlank();
      assertThat(received.stream().map(RecordedEvent::position).distinct().toList())
          .as("every other event, in order").containsExactly(1L, 2L, 4L, 5L, 6L);
      assertThat(relay.refusedCount()).isEqualTo(1);
      assertThat(relay.lastPublishedPosition()).isEqualTo(6);
    } finally {
      if (relay != null) {
        relay.stop().await(20, SECONDS);
      }
      cleanUp(vertx, namespace, broker);
      store.close().await(5, SECONDS);
    }
  }

  private static EventEnvelope paid(String orderId, int paddingChars) {
    return FACTORY.create(new OrderPaid(orderId, "pay-" + "x".repeat(paddingChars), new BigDecimal("12.50")));
  }
}
