package io.herald.broker;

import static io.herald.broker.TestEvents.awaitUntil;
import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static io.herald.broker.TestEvents.pause;
import static io.herald.broker.TestEvents.recorded;
import static io.herald.broker.TestEvents.userRegistered;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.eventbus.EventBusBroker;
import io.herald.broker.eventbus.EventBusBrokerOptions;
import io.herald.event.EventCodecs;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 15, unit = SECONDS)
@DisplayName("Event consumers")
class EventConsumersTest {

  private EventBusBroker broker;
  private EventConsumers consumers;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    broker = new EventBusBroker(vertx, EventBusBrokerOptions.fromJson(new JsonObject()
        .put("redeliveryBaseMs", 60).put("redeliveryCapMs", 200)), BlueprintEvents.registry());
    broker.start().await(5, SECONDS);
    consumers = new EventConsumers(broker);
  }

  @AfterEach
  void tearDown() throws Exception {
    broker.close().await(5, SECONDS);
  }

  @Test
  @DisplayName("a failed handler future nacks the event, and the same event is redelivered before the rest of its stream")
  void failedFutureLeadsToRedeliveryInOrder() throws Exception {
    List<RecordedEvent> handled = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(2);
    consumers.subscribe("shipping", List.of("*"), event -> {
      handled.add(event);
      if (event.position() == 2 && failuresLeft.getAndDecrement() > 0) {
        return Future.failedFuture(new IllegalStateException("warehouse unavailable"));
      }
      return Future.succeededFuture();
    }).await(5, SECONDS);

    RecordedEvent a1 = recorded(1, "order-a", orderPaid("a"));
    RecordedEvent a2 = recorded(2, "order-a", orderShipped("a"));
    RecordedEvent b1 = recorded(3, "user-b", userRegistered("b"));
    RecordedEvent a3 = recorded(4, "order-a", orderShipped("a"));
    for (RecordedEvent e : List.of(a1, a2, b1, a3)) {
      broker.publish(e).await(5, SECONDS);
    }
    awaitUntil("the stream's last event and the other stream are handled",
        () -> handled.stream().anyMatch(e -> e.position() == 4) && handled.contains(b1));
    pause(150);

    List<RecordedEvent> streamA = handled.stream().filter(e -> e.streamId().equals("order-a")).toList();
    assertThat(streamA).containsExactly(a1, a2, a2, a2, a3);
    assertThat(streamA.get(1).envelope().id()).isEqualTo(streamA.get(3).envelope().id());
    assertThat(handled.stream().filter(b1::equals)).hasSize(1);
    assertThat(handled.indexOf(b1)).as("another stream is not held back by the nacked event")
        .isLessThan(handled.lastIndexOf(a2));
  }

  @Test
  @DisplayName("a handler that throws or returns null is nacked like a failed future")
  void throwingOrNullHandlerIsNacked() throws Exception {
    Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
    consumers.subscribe("projector", List.of("order.*"), event -> {
      int call = calls.computeIfAbsent(event.position(), p -> new AtomicInteger()).incrementAndGet();
      if (call == 1 && event.position() == 1) {
        throw new IllegalArgumentException("bad projection");
      }
      if (call == 1 && event.position() == 2) {
        return null;
      }
      return Future.succeededFuture();
    }).await(5, SECONDS);

    broker.publish(recorded(1, "order-a", orderPaid("a"))).await(5, SECONDS);
    broker.publish(recorded(2, "order-b", orderPaid("b"))).await(5, SECONDS);
    awaitUntil("both events are handled twice", () -> calls.size() == 2
        && calls.values().stream().allMatch(c -> c.get() >= 2));
    pause(300);

    assertThat(calls.get(1L)).hasValue(2);
    assertThat(calls.get(2L)).hasValue(2);
  }

  @Test
  @DisplayName("a succeeded handler future acks the event: it is not delivered again")
  void succeededFutureAcks() throws Exception {
    Recorder recorder = new Recorder();
    consumers.subscribe("audit", List.of("*"), recorder).await(5, SECONDS);

    RecordedEvent event = recorded(1, "order-a", orderPaid("a"));
    broker.publish(event).await(5, SECONDS);
    awaitUntil("the event is handled", () -> recorder.size() == 1);
    pause(300);

    assertThat(recorder.events()).containsExactly(event);
  }
}
