package io.herald.broker.eventbus;

import static io.herald.broker.TestEvents.awaitUntil;
import static io.herald.broker.TestEvents.failureOf;
import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static io.herald.broker.TestEvents.pause;
import static io.herald.broker.TestEvents.positionsByStream;
import static io.herald.broker.TestEvents.recorded;
import static io.herald.broker.TestEvents.userRegistered;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerCapacityException;
import io.herald.broker.BrokerSubscription;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.Delivery;
import io.herald.broker.EventConsumers;
import io.herald.broker.Recorder;
import io.herald.event.EventCodecs;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 15, unit = SECONDS)
@DisplayName("The event-bus broker")
class EventBusBrokerTest {

  private Vertx vertx;
  private final List<EventBusBroker> brokers = new ArrayList<>();
  private final Map<String, Long> unackedByStream = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (EventBusBroker broker : brokers) {
      broker.close().await(5, SECONDS);
    }
  }

  @Test
  @DisplayName("members of one group share the events, each event goes to one member, and each stream stays in order")
  void competingMembersKeepStreamOrder() throws Exception {
    EventBusBroker broker = started(new JsonObject().put("maxInFlightPerMember", 4));
    List<RecordedEvent> handled = new CopyOnWriteArrayList<>();
    List<RecordedEvent> byFirst = new CopyOnWriteArrayList<>();
    List<RecordedEvent> bySecond = new CopyOnWriteArrayList<>();
    List<String> overtaken = new CopyOnWriteArrayList<>();
    broker.subscribe("billing", List.of("order.*"), d -> slowAck(d, handled, byFirst, overtaken)).await(5, SECONDS);
    broker.subscribe("billing", List.of("order.*"), d -> slowAck(d, handled, bySecond, overtaken)).await(5, SECONDS);

    List<RecordedEvent> published = new ArrayList<>();
    for (long p = 1; p <= 40; p++) {
      String order = String.valueOf(p % 4);
      RecordedEvent event = recorded(p, "order-" + order, p % 2 == 0 ? orderPaid(order) : orderShipped(order));
      published.add(event);
      broker.publish(event).await(5, SECONDS);
    }
    awaitUntil("40 events are handled", () -> handled.size() >= 40);
    pause(50);

    assertThat(handled).containsExactlyInAnyOrderElementsOf(published);
    assertThat(byFirst).isNotEmpty();
    assertThat(bySecond).isNotEmpty();
    assertThat(byFirst).doesNotContainAnyElementsOf(bySecond);
    assertThat(positionsByStream(handled)).isEqualTo(positionsByStream(published));
    assertThat(overtaken).as("deliveries that started while their stream's previous event was unacked").isEmpty();
  }

  @Test
  @DisplayName("a full group makes the publish fail as a whole, and takes the event once it has acked")
  void fullGroupRefusesPublish() throws Exception {
    EventBusBroker broker = started(new JsonObject().put("maxUnackedPerGroup", 2));
    List<Delivery> held = new CopyOnWriteArrayList<>();
    broker.subscribe("slow", List.of("*"), held::add).await(5, SECONDS);
    Recorder fast = new Recorder();
    new EventConsumers(broker).subscribe("fast", List.of("*"), fast).await(5, SECONDS);

    RecordedEvent e1 = recorded(1, "order-1", orderPaid("1"));
    RecordedEvent e2 = recorded(2, "order-2", orderPaid("2"));
    RecordedEvent e3 = recorded(3, "order-3", orderPaid("3"));
    broker.publish(e1).await(5, SECONDS);
    broker.publish(e2).await(5, SECONDS);
    Throwable refused = failureOf(broker.publish(e3));
    pause(50);

    assertThat(refused).isInstanceOf(BrokerCapacityException.class);
    assertThat(((BrokerCapacityException) refused).group()).isEqualTo("slow");
    assertThat(((BrokerCapacityException) refused).limit()).isEqualTo(2);
    assertThat(fast.events()).as("no group got the refused event").containsExactly(e1, e2);

    held.get(0).ack().await(5, SECONDS);
    broker.publish(e3).await(5, SECONDS);
    awaitUntil("both groups got the third event", () -> fast.received(3) && held.size() == 3);
    assertThat(held).extracting(Delivery::event).containsExactly(e1, e2, e3);
  }

  @Test
  @DisplayName("a nacked delivery comes back with the next attempt number, before later events of its stream")
  void nackRedeliversWithAttemptNumbers() throws Exception {
    EventBusBroker broker = started(new JsonObject().put("redeliveryBaseMs", 10).put("redeliveryCapMs", 40));
    List<String> seen = new CopyOnWriteArrayList<>();
    broker.subscribe("mailer", List.of("order.*"), d -> {
      seen.add(d.event().position() + "#" + d.attempt());
      if (d.event().position() == 1 && d.attempt() < 3) {
        d.nack(new IllegalStateException("smtp down"));
      } else {
        d.ack();
      }
    }).await(5, SECONDS);

    broker.publish(recorded(1, "order-a", orderPaid("a"))).await(5, SECONDS);
    broker.publish(recorded(2, "order-a", orderShipped("a"))).await(5, SECONDS);
    awaitUntil("the second event is handled", () -> seen.contains("2#1"));
    pause(50);

    assertThat(seen).containsExactly("1#1", "1#2", "1#3", "2#1");
  }

  @Test
  @DisplayName("a member that leaves hands what it has not settled within handBackTimeoutMs to the remaining member, and"
      + " settling twice fails")
  void leavingMemberHandsBackDeliveries() throws Exception {
    EventBusBroker broker = started(new JsonObject().put("handBackTimeoutMs", 300));
    List<Delivery> first = new CopyOnWriteArrayList<>();
    List<Delivery> second = new CopyOnWriteArrayList<>();
    BrokerSubscription leaving = broker.subscribe("projector", List.of("*"), first::add).await(5, SECONDS);
    broker.publish(recorded(1, "order-a", orderPaid("a"))).await(5, SECONDS);
    awaitUntil("the first member has the event", () -> first.size() == 1);

    List<Future<Void>> secondAcks = new CopyOnWriteArrayList<>();
    broker.subscribe("projector", List.of("*"), d -> {
      secondAcks.add(d.ack());
      second.add(d);   // last: the test thread waits on this list, then reads the ack
    }).await(5, SECONDS);
    leaving.close().await(5, SECONDS);
    awaitUntil("the second member has the event", () -> second.size() == 1);

    assertThat(second.get(0).event()).isEqualTo(first.get(0).event());
    assertThat(second.get(0).attempt()).isEqualTo(2);
    assertThat(secondAcks.get(0).await(5, SECONDS)).isNull();
    assertThat(failureOf(first.get(0).ack())).as("the leaver's late ack")
        .isInstanceOf(IllegalStateException.class);
    assertThat(failureOf(second.get(0).ack())).as("a second ack")
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already settled");
  }

  @Test
  @DisplayName("a group receives events published after it was created, also while it has no members")
  void groupLifecycle() throws Exception {
    EventBusBroker broker = started(new JsonObject());
    RecordedEvent before = recorded(1, "order-a", orderPaid("a"));
    RecordedEvent whileAway = recorded(2, "order-a", orderShipped("a"));
    RecordedEvent unmatched = recorded(3, "user-b", userRegistered("b"));
    broker.publish(before).await(5, SECONDS);

    Recorder recorder = new Recorder();
    EventConsumers consumers = new EventConsumers(broker);
    consumers.subscribe("billing", List.of("order.*"), recorder).await(5, SECONDS).close().await(5, SECONDS);
    broker.publish(whileAway).await(5, SECONDS);
    broker.publish(unmatched).await(5, SECONDS);
    consumers.subscribe("billing", List.of("order.*"), recorder).await(5, SECONDS);
    awaitUntil("the rejoined member got the queued event", () -> recorder.size() >= 1);
    pause(50);

    assertThat(recorder.events()).containsExactly(whileAway);
  }

  @Test
  @DisplayName("members of a group must use the group's patterns")
  void membersAgreeOnPatterns() throws Exception {
    EventBusBroker broker = started(new JsonObject());
    broker.subscribe("billing", List.of("order.*"), Delivery::ack).await(5, SECONDS);

    assertThat(failureOf(broker.subscribe("billing", List.of("user.*"), Delivery::ack)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("billing");
    assertThat(failureOf(broker.subscribe("billing", List.of("order.*,user.*"), Delivery::ack)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(broker.subscribe("billing", List.of("order.*"), Delivery::ack).await(5, SECONDS).typePatterns())
        .containsExactly("order.*");
  }

  @Test
  @DisplayName("publish, subscribe and ping fail before start and after close")
  void unavailableOutsideItsLifecycle() throws Exception {
    EventBusBroker broker = new EventBusBroker(vertx, BlueprintEvents.registry());
    brokers.add(broker);
    RecordedEvent event = recorded(1, "order-a", orderPaid("a"));

    assertThat(failureOf(broker.publish(event))).isInstanceOf(BrokerUnavailableException.class);
    assertThat(failureOf(broker.ping())).isInstanceOf(BrokerUnavailableException.class);
    assertThat(failureOf(broker.subscribe("g", List.of("*"), Delivery::ack))).isInstanceOf(BrokerUnavailableException.class);

    broker.start().await(5, SECONDS);
    assertThat(broker.ping().await(5, SECONDS)).isNull();
    broker.close().await(5, SECONDS);

    assertThat(failureOf(broker.publish(event))).isInstanceOf(BrokerUnavailableException.class);
    assertThat(failureOf(broker.ping())).isInstanceOf(BrokerUnavailableException.class);
  }

  @Test
  @DisplayName("publishing without the event codecs registered fails with a hint")
  void missingCodecFailsPublish() throws Exception {
    Vertx bare = Vertx.vertx();
    try {
      EventBusBroker broker = new EventBusBroker(bare, BlueprintEvents.registry());
      broker.start().await(5, SECONDS);
      assertThat(failureOf(broker.publish(recorded(1, "order-a", orderPaid("a")))))
          .hasMessageContaining("EventCodecs.register");
    } finally {
      bare.close().await(5, SECONDS);
    }
  }

  private EventBusBroker started(JsonObject options) throws Exception {
    EventBusBroker broker = new EventBusBroker(vertx, EventBusBrokerOptions.fromJson(options), BlueprintEvents.registry());
    brokers.add(broker);
    broker.start().await(5, SECONDS);
    return broker;
  }

  // acks after 1-3 ms, so members finish out of order unless the group holds each stream back until the ack
  private void slowAck(Delivery delivery, List<RecordedEvent> handled, List<RecordedEvent> mine, List<String> overtaken) {
    RecordedEvent event = delivery.event();
    Long unacked = unackedByStream.putIfAbsent(event.streamId(), event.position());
    if (unacked != null) {
      overtaken.add(event.position() + " started before " + unacked + " was acked");
    }
    handled.add(event);
    mine.add(event);
    vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(3), t -> {
      unackedByStream.remove(event.streamId(), event.position());
      delivery.ack();
    });
  }
}
