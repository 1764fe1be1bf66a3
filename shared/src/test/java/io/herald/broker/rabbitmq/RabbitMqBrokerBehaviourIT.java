package io.herald.broker.rabbitmq;

import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerSubscription;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.Delivery;
import io.herald.broker.RawMessage;
import io.herald.broker.TestEvents;
import io.herald.event.EventCodecs;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.testing.TcpProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the contract does not cover: RabbitMQ's own mechanisms as the adapter uses them. */
@DisplayName("The RabbitMQ broker: buffering, single active consumer, reconnection, dead letters, filtering, order")
@Timeout(value = 90, unit = SECONDS)
class RabbitMqBrokerBehaviourIT {

  private static Vertx vertx;
  private static RabbitMqTestSupport rabbit;
  private final List<RabbitMqBroker> brokers = new ArrayList<>();
  private final List<TcpProxy> proxies = new ArrayList<>();
  private String namespace;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    rabbit = new RabbitMqTestSupport();
  }

  @AfterAll
  static void tearDown() throws Exception {
    rabbit.close();
    vertx.close().await(20, SECONDS);
  }

  @BeforeEach
  void newNamespace() {
    namespace = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @AfterEach
  void closeBrokers() throws Exception {
    for (RabbitMqBroker b : brokers) {
      b.close().await(20, SECONDS);
    }
    for (TcpProxy p : proxies) {
      p.close().await(5, SECONDS);
    }
  }

  private RabbitMqBroker started(String group, Consumer<JsonObject> settings) throws Exception {
    return started(group, RabbitMqTestSupport.PORT, settings);
  }

  private RabbitMqBroker started(String group, int port, Consumer<JsonObject> settings) throws Exception {
    rabbit.track(namespace, group);
    JsonObject json = RabbitMqBrokerIT.testOptions(namespace, RabbitMqTestSupport.HOST, port).toJson();
    settings.accept(json);
    RabbitMqBroker broker = new RabbitMqBroker(vertx, RabbitMqBrokerOptions.fromJson(json), BlueprintEvents.registry());
    brokers.add(broker);
    broker.start().await(30, SECONDS);
    return broker;
  }

  @Test
  @DisplayName("a member hands at most maxBuffered messages to its lanes, and takes more as they are settled")
  void buffersAtMostMaxBuffered() throws Exception {
    RabbitMqBroker broker = started("holder", o -> o.put("prefetch", 50).put("maxBuffered", 3).put("maxInFlightPerMember", 10));
    List<Delivery> held = new CopyOnWriteArrayList<>();
    broker.subscribe("holder", List.of("order.*"), held::add).await(30, SECONDS);
    List<RecordedEvent> events = new ArrayList<>();
    for (int p = 1; p <= 20; p++) {
      events.add(new RecordedEvent(p, "order-" + p, orderPaid("o" + p)));
    }

    broker.publishAll(events).await(20, SECONDS);
    await("three deliveries are handed out", () -> held.size() >= 3);
    TestEvents.pause(500);
    assertThat(held).hasSize(3);

    held.get(0).ack().await(10, SECONDS);
    await("a fourth delivery follows the ack", () -> held.size() >= 4);
    TestEvents.pause(300);
    assertThat(held).hasSize(4);
  }

  @Test
  @DisplayName("one member of a group consumes at a time; when it leaves (its hung handler outlasting handBackTimeoutMs),"
      + " the next takes over from its unacked event, in order")
  void singleActiveConsumerTakesOver() throws Exception {
    RabbitMqBroker first = started("sac", o -> o.put("handBackTimeoutMs", 500));
    RabbitMqBroker second = started("sac", o -> { });
    List<String> firstSeen = new CopyOnWriteArrayList<>();
    List<String> secondSeen = new CopyOnWriteArrayList<>();
    BrokerSubscription active = first.subscribe("sac", List.of("order.*"), d -> firstSeen.add(d.event().position()
        + "#" + d.attempt())).await(30, SECONDS); // never acks
    second.subscribe("sac", List.of("order.*"), d -> {
      secondSeen.add(d.event().position() + "#" + d.attempt());
      d.ack();
    }).await(30, SECONDS);
    List<RecordedEvent> events = new ArrayList<>();
    for (int p = 1; p <= 5; p++) {
      events.add(new RecordedEvent(p, "order-s", p % 2 == 0 ? orderShipped("s") : orderPaid("s")));
    }

    first.publishAll(events).await(20, SECONDS);
    await("the active member has the stream's first event", () -> !firstSeen.isEmpty());
    TestEvents.pause(500);
    assertThat(firstSeen).containsExactly("1#1");
    assertThat(secondSeen).as("the standby member's deliveries").isEmpty();

    active.close().await(20, SECONDS);
    await("the standby member handles the whole stream", () -> secondSeen.size() >= 5);
    // all five had been pushed to the first member (prefetch), so RabbitMQ flags each one as redelivered
    assertThat(secondSeen).containsExactly("1#2", "2#2", "3#2", "4#2", "5#2");
  }

  @Test
  @DisplayName("across a connection loss: in-flight deliveries come back, publishes fail then resume, nothing confirmed is lost")
  void reconnectsAndLosesNothingConfirmed() throws Exception {
    TcpProxy proxy = TcpProxy.start(vertx, RabbitMqTestSupport.HOST, RabbitMqTestSupport.PORT).await(5, SECONDS);
    proxies.add(proxy);
    RabbitMqBroker broker = started("ledger", proxy.port(), o -> { });
    Set<Long> received = ConcurrentHashMap.newKeySet();
    List<String> attemptsOfFirst = new CopyOnWriteArrayList<>();
    List<Delivery> heldBack = new CopyOnWriteArrayList<>();
    broker.subscribe("ledger", List.of("order.*"), d -> {
      if (d.event().position() == 1) {
        attemptsOfFirst.add("#" + d.attempt());
        if (d.attempt() == 1) {
          heldBack.add(d); // unsettled when the connection goes
          return;
        }
      }
      received.add(d.event().position());
      d.ack();
    }).await(30, SECONDS);
    broker.publish(new RecordedEvent(1, "order-1", orderPaid("1"))).await(20, SECONDS);
    await("the first event is in flight", () -> heldBack.size() == 1);

    List<Long> confirmed = new ArrayList<>();
    for (long p = 2; p <= 80; p++) {
      if (p == 30) {
        proxy.cut();
        await("ping reports the outage", () -> failed(broker.ping()));
        assertThat(failure(broker.publish(new RecordedEvent(p, "order-" + p, orderPaid("x")))))
            .isInstanceOf(BrokerUnavailableException.class);
        proxy.restore();
      }
      RecordedEvent e = new RecordedEvent(p, "order-" + (p % 7), orderPaid("o" + p));
      while (failed(broker.publish(e))) {
        TestEvents.pause(100);
      }
      confirmed.add(p);
    }

    await("every confirmed event arrives", () -> received.containsAll(confirmed));
    await("the event that was in flight is delivered again", () -> received.contains(1L));
    assertThat(attemptsOfFirst).startsWith("#1").contains("#2");
    assertThat(failure(heldBack.get(0).ack())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("a dead letter keeps the original body and headers and carries reason, attempts, group and origin")
  void deadLetterHeaders() throws Exception {
    RabbitMqBroker broker = started("auditor", o -> { });
    List<Future<Void>> settled = new CopyOnWriteArrayList<>();
    broker.subscribe("auditor", List.of("order.*"), d -> settled.add(d.deadLetter(new IllegalStateException("ledger closed"), 4)))
        .await(30, SECONDS);
    RecordedEvent doomed = new RecordedEvent(7, "order-d", orderPaid("d"));

    broker.publish(doomed).await(20, SECONDS);
    await("the delivery is dead-lettered", () -> settled.size() == 1 && settled.get(0).isComplete());
    settled.get(0).await(1, SECONDS);

    List<RawMessage> letters = rabbit.deadLetters(namespace, "auditor");
    assertThat(letters).hasSize(1);
    RawMessage letter = letters.get(0);
    assertThat(letter.headers()).containsEntry("herald-dead-letter-reason", "ledger closed")
        .containsEntry("herald-dead-letter-attempts", "4")
        .containsEntry("herald-dead-letter-group", "auditor")
        .containsEntry("herald-dead-letter-origin", namespace + ".auditor")
        .containsEntry("cloudEvents:type", "order.paid")
        .containsEntry("content-type", "application/json");
    assertThat(broker.decode(letter)).isEqualTo(doomed);
    broker.close().await(20, SECONDS);
    assertThat(rabbit.messageCount(namespace + ".auditor")).as("messages left in the group's queue").isZero();
  }

  @Test
  @DisplayName("messages the broad AMQP binding lets through but the patterns do not match are acked, not delivered")
  void filtersWhatTheBindingLetsThrough() throws Exception {
    RabbitMqBroker broker = started("payer", o -> { });
    List<RecordedEvent> got = new CopyOnWriteArrayList<>();
    broker.subscribe("payer", List.of("order.p*"), d -> {
      got.add(d.event());
      d.ack();
    }).await(30, SECONDS);
    RecordedEvent shipped = new RecordedEvent(1, "order-f", orderShipped("f"));
    RecordedEvent paid = new RecordedEvent(2, "order-f", orderPaid("f"));

    broker.publishAll(List.of(shipped, paid)).await(20, SECONDS);
    await("the matching event arrives", () -> !got.isEmpty());
    TestEvents.pause(300);
    broker.close().await(20, SECONDS);

    assertThat(got).containsExactly(paid);
    assertThat(rabbit.messageCount(namespace + ".payer")).as("messages requeued when the broker closed").isZero();
  }

  @Test
  @DisplayName("2,000 events of one stream published with publishAll arrive once each, in order")
  void pipelinedPublishKeepsOrder() throws Exception {
    RabbitMqBroker broker = started("ordered", o -> o.put("maxUnconfirmed", 300).put("writeBatch", 64));
    List<Long> positions = new CopyOnWriteArrayList<>();
    broker.subscribe("ordered", List.of("order.*"), d -> {
      positions.add(d.event().position());
      d.ack();
    }).await(30, SECONDS);
    List<RecordedEvent> events = new ArrayList<>();
    List<Long> expected = new ArrayList<>();
    for (long p = 1; p <= 2_000; p++) {
      events.add(new RecordedEvent(p, "order-one", p % 2 == 0 ? orderShipped("one") : orderPaid("one")));
      expected.add(p);
    }

    broker.publishAll(events).await(60, SECONDS);
    await("every event arrives", () -> positions.size() >= 2_000);
    TestEvents.pause(200);

    assertThat(positions).isEqualTo(expected);
  }

  @Test
  @DisplayName("a group queue that exists with other arguments fails subscribe with the reason; the broker stays usable")
  void conflictingQueueFailsSubscribe() throws Exception {
    RabbitMqBroker broker = started("legacy", o -> { });
    rabbit.declarePlainQueue(namespace + ".legacy");

    Throwable refused = failure(broker.subscribe("legacy", List.of("order.*"), Delivery::ack));

    assertThat(refused).isInstanceOf(io.herald.broker.BrokerException.class)
        .isNotInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("legacy").hasMessageContaining("inequivalent arg")
        .hasMessageContaining("exists with other arguments");
    broker.ping().await(10, SECONDS);
    rabbit.track(namespace, "fresh");
    List<RecordedEvent> got = new CopyOnWriteArrayList<>();
    broker.subscribe("fresh", List.of("order.*"), d -> {
      got.add(d.event());
      d.ack();
    }).await(30, SECONDS);
    broker.publish(new RecordedEvent(1, "order-l", orderPaid("l"))).await(20, SECONDS);
    await("the other group still receives", () -> got.size() == 1);
  }

  private static boolean failed(Future<?> future) {
    await("the future completes", future::isComplete);
    return future.failed();
  }

  private static Throwable failure(Future<?> future) {
    assertThat(failed(future)).as("the future failed").isTrue();
    return future.cause();
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + 40_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      TestEvents.pause(10);
    }
  }
}
