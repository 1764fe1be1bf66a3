package io.herald.relay;

import static io.herald.broker.TestEvents.awaitUntil;
import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static io.herald.broker.TestEvents.pause;
import static io.herald.broker.TestEvents.positionsByStream;
import static io.herald.broker.TestEvents.userRegistered;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.EventConsumers;
import io.herald.broker.FlakyBroker;
import io.herald.broker.MessageBroker;
import io.herald.broker.Recorder;
import io.herald.broker.eventbus.EventBusBroker;
import io.herald.broker.eventbus.EventBusBrokerOptions;
import io.herald.event.EventCodecs;
import io.herald.event.EventEnvelope;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.store.EventStore;
import io.herald.store.memory.InMemoryCheckpointStore;
import io.herald.store.memory.InMemoryEventStore;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 15, unit = SECONDS)
@DisplayName("The event relay")
class EventRelayTest {

  /** Saves only on stop (the batch and the interval are never reached in a test), so a restart depends on that save. */
  private static final EventRelayOptions SAVE_ON_STOP_ONLY = EventRelayOptions.fromJson(new JsonObject()
      .put("checkpointBatch", 100_000).put("checkpointIntervalMs", 600_000).put("retryBaseMs", 5).put("retryCapMs", 40));

  private Vertx vertx;
  private InMemoryEventStore store;
  private InMemoryCheckpointStore checkpoints;
  private EventBusBroker broker;
  private final List<EventRelay> relays = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    store = new InMemoryEventStore(vertx);
    checkpoints = new InMemoryCheckpointStore();
    broker = new EventBusBroker(vertx, EventBusBrokerOptions.fromJson(new JsonObject().put("redeliveryBaseMs", 5)), BlueprintEvents.registry());
    broker.start().await(5, SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (EventRelay relay : relays) {
      relay.stop().await(5, SECONDS);
    }
    broker.close().await(5, SECONDS);
    store.close().await(5, SECONDS);
  }

  @Test
  @DisplayName("appended events reach two subscriber groups as stored and in order")
  void appendedEventsReachTwoGroups() throws Exception {
    Recorder audit = subscribe("audit", "*");
    Recorder billing = subscribe("billing", "order.*");
    EventRelay relay = relay(broker, EventRelayOptions.defaults());
    assertThat(relay.start().await(5, SECONDS)).isNull();
    assertThat(relay.isRunning()).isTrue();

    appendMixedEvents(12);
    store.append("order-9", EventStore.ANY_VERSION, List.of(orderPaid("9"), orderShipped("9"), orderPaid("9")))
        .await(5, SECONDS);

    List<RecordedEvent> stored = storedEvents();
    List<RecordedEvent> storedOrders = stored.stream().filter(e -> e.type().startsWith("order.")).toList();
    awaitUntil("both groups received what was stored", () -> audit.size() >= stored.size() && billing.size() >= storedOrders.size());
    pause(100);

    assertThat(audit.events()).containsExactlyInAnyOrderElementsOf(stored);
    assertThat(billing.events()).containsExactlyInAnyOrderElementsOf(storedOrders);
    assertThat(storedOrders).hasSizeBetween(1, stored.size() - 1);
    assertThat(positionsByStream(audit.events())).isEqualTo(positionsByStream(stored));
    assertThat(positionsByStream(billing.events())).isEqualTo(positionsByStream(storedOrders));
    assertSameEnvelopes(audit.events(), stored);
    assertThat(relay.lastPublishedPosition()).isEqualTo(stored.size());
    assertThat(relay.lag().await(5, SECONDS)).isZero();
  }

  @Test
  @DisplayName("the publish listener hears of every confirmed event once, in global order")
  void publishListenerHearsConfirmedEvents() throws Exception {
    List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventRelay relay = new EventRelay(vertx, store, checkpoints, broker, EventRelayOptions.defaults(),
        page -> page.forEach(e -> heard.add(e.position())));
    relays.add(relay);
    relay.start().await(5, SECONDS);
    appendMixedEvents(9);
    awaitUntil("the relay published 9 events", () -> relay.lastPublishedPosition() == 9);
    // the relay moves its position before it calls the listener: wait for the listener, not the position
    awaitUntil("the listener heard 9 events", () -> heard.size() >= 9);
    assertThat(heard).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  @DisplayName("after a restart the relay resumes from its checkpoint without losing or re-sending what was confirmed")
  void restartResumesFromCheckpoint() throws Exception {
    Recorder audit = subscribe("audit", "*");
    Recorder billing = subscribe("billing", "order.*");

    EventRelay first = relay(broker, SAVE_ON_STOP_ONLY);
    first.start().await(5, SECONDS);
    appendMixedEvents(6);
    awaitUntil("the first relay published 6 events", () -> first.lastPublishedPosition() == 6);
    awaitUntil("the audit group received them", () -> audit.size() >= 6);
    assertThat(checkpoints.load("relay").await(5, SECONDS)).isZero();
    first.stop().await(5, SECONDS);

    assertThat(first.state()).isEqualTo(EventRelay.State.STOPPED);
    assertThat(checkpoints.load("relay").await(5, SECONDS)).isEqualTo(6L);

    appendMixedEvents(5);
    assertThat(first.lag().await(5, SECONDS)).isEqualTo(5L);
    pause(100);
    assertThat(audit.size()).as("nothing is published while no relay runs").isEqualTo(6);

    EventRelay second = relay(broker, SAVE_ON_STOP_ONLY);
    second.start().await(5, SECONDS);
    awaitUntil("the second relay published up to position 11", () -> second.lastPublishedPosition() == 11);
    // a confirmed publish is not yet a delivery: wait for the groups, then a little for any extra copy
    List<RecordedEvent> stored = storedEvents();
    long storedOrders = stored.stream().filter(e -> e.type().startsWith("order.")).count();
    awaitUntil("both groups received every event", () -> audit.size() >= 11 && billing.size() >= storedOrders);
    pause(100);

    assertThat(stored).hasSize(11);
    assertThat(second.publishedCount()).isEqualTo(5);
    assertThat(audit.events()).containsExactlyInAnyOrderElementsOf(stored);
    assertThat(billing.events()).containsExactlyInAnyOrderElementsOf(
        stored.stream().filter(e -> e.type().startsWith("order.")).toList());
    assertThat(positionsByStream(audit.events())).isEqualTo(positionsByStream(stored));

    second.stop().await(5, SECONDS);
    assertThat(checkpoints.load("relay").await(5, SECONDS)).isEqualTo(11L);
  }

  @Test
  @DisplayName("a failed publish is retried with backoff and no event is skipped or reordered")
  void failedPublishIsRetried() throws Exception {
    Recorder audit = subscribe("audit", "*");
    FlakyBroker flaky = new FlakyBroker(broker);
    EventRelay relay = relay(flaky, SAVE_ON_STOP_ONLY);
    relay.start().await(5, SECONDS);

    appendMixedEvents(2);
    awaitUntil("the first two events are published", () -> relay.lastPublishedPosition() == 2);
    flaky.failNext(3);
    appendMixedEvents(3);
    awaitUntil("all five events are published", () -> relay.lastPublishedPosition() == 5);
    awaitUntil("the audit group received them", () -> audit.size() >= 5);
    pause(100);

    assertThat(flaky.attempts()).containsExactly(1L, 2L, 3L, 3L, 3L, 3L, 4L, 5L);
    assertThat(relay.consecutiveFailures()).isZero();
    List<RecordedEvent> stored = storedEvents();
    assertThat(audit.events()).containsExactlyInAnyOrderElementsOf(stored);
    assertThat(positionsByStream(audit.events())).isEqualTo(positionsByStream(stored));
  }

  @Test
  @DisplayName("a stop during retries leaves the unconfirmed event to the next relay")
  void stopDuringRetriesKeepsUnconfirmedEvent() throws Exception {
    Recorder audit = subscribe("audit", "*");
    FlakyBroker flaky = new FlakyBroker(broker);
    EventRelay first = relay(flaky, SAVE_ON_STOP_ONLY);
    first.start().await(5, SECONDS);
    appendMixedEvents(2);
    awaitUntil("the first two events are published", () -> first.lastPublishedPosition() == 2);
    awaitUntil("the audit group received them", () -> audit.size() >= 2);

    flaky.failNext(Integer.MAX_VALUE);
    appendMixedEvents(2);
    awaitUntil("position 3 failed twice", () -> flaky.attempts().stream().filter(p -> p == 3L).count() >= 2);
    assertThat(first.consecutiveFailures()).isPositive();
    first.stop().await(5, SECONDS);

    assertThat(checkpoints.load("relay").await(5, SECONDS)).isEqualTo(2L);
    assertThat(audit.size()).isEqualTo(2);

    EventRelay second = relay(broker, SAVE_ON_STOP_ONLY);
    second.start().await(5, SECONDS);
    awaitUntil("the second relay published positions 3 and 4", () -> second.lastPublishedPosition() == 4);
    awaitUntil("the audit group received them", () -> audit.size() >= 4);
    pause(50);
    assertThat(audit.events()).containsExactlyInAnyOrderElementsOf(storedEvents());
  }

  @Test
  @DisplayName("the relay and the broker also work when they share one event loop")
  void relayAndBrokerOnOneEventLoop() throws Exception {
    Context loop = vertx.getOrCreateContext();
    Recorder audit = new Recorder();
    Promise<EventBusBroker> brokerMade = Promise.promise();
    Promise<EventRelay> relayMade = Promise.promise();
    loop.runOnContext(v -> {
      EventBusBroker local = new EventBusBroker(vertx, EventBusBrokerOptions.fromJson(new JsonObject()
          .put("address", "herald.test.one-loop")), BlueprintEvents.registry());
      brokerMade.complete(local);
      local.start()
          .compose(started -> new EventConsumers(local).subscribe("audit", List.of("*"), audit))
          .map(subscribed -> relay(local, EventRelayOptions.defaults()))
          .compose(relay -> relay.start().map(relay))
          .onComplete(relayMade);
    });
    EventBusBroker local = brokerMade.future().await(5, SECONDS);
    try {
      EventRelay relay = relayMade.future().await(5, SECONDS);
      List<EventEnvelope> batch = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        batch.add(i % 2 == 0 ? orderPaid("big") : orderShipped("big"));
      }
      store.append("order-big", EventStore.NO_STREAM, batch).await(5, SECONDS);
      awaitUntil("300 events are published", () -> relay.lastPublishedPosition() == 300 && audit.size() >= 300);
      pause(50);

      assertThat(audit.events()).containsExactlyElementsOf(storedEvents());
    } finally {
      local.close().await(5, SECONDS);
    }
  }

  private Recorder subscribe(String group, String... patterns) throws Exception {
    Recorder recorder = new Recorder();
    new EventConsumers(broker).subscribe(group, List.of(patterns), recorder).await(5, SECONDS);
    return recorder;
  }

  private EventRelay relay(MessageBroker target, EventRelayOptions options) {
    EventRelay relay = new EventRelay(vertx, store, checkpoints, target, options);
    relays.add(relay);
    return relay;
  }

  // one append per event, cycling over three order streams and one user stream, so streams interleave
  private void appendMixedEvents(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      int slot = (int) ((store.headPosition().await(5, SECONDS) + 1) % 4);
      String stream = slot == 3 ? "user-1" : "order-" + slot;
      EventEnvelope event = slot == 3 ? userRegistered("u" + i) : (i % 2 == 0 ? orderPaid(String.valueOf(slot)) : orderShipped(String.valueOf(slot)));
      store.append(stream, EventStore.ANY_VERSION, List.of(event)).await(5, SECONDS);
    }
  }

  private List<RecordedEvent> storedEvents() throws Exception {
    return store.readAll(1, 10_000).await(5, SECONDS).events();
  }

  private static void assertSameEnvelopes(List<RecordedEvent> received, List<RecordedEvent> stored) throws Exception {
    for (RecordedEvent event : received) {
      RecordedEvent original = stored.get((int) event.position() - 1);
      assertThat(event.streamId()).isEqualTo(original.streamId());
      assertThat(event.envelope()).isEqualTo(original.envelope());
      assertThat(event.envelope().id()).isEqualTo(original.envelope().id());
      assertThat(event.envelope().sequence()).isEqualTo(original.envelope().sequence());
    }
  }
}
