package io.herald.broker.nats;

import static io.herald.broker.TestEvents.orderPaid;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.herald.broker.BrokerSubscription;
import io.herald.broker.Delivery;
import io.herald.broker.RawMessage;
import io.herald.broker.TestEvents;
import io.herald.event.EventCodecs;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.testing.TcpProxy;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the NATS adapter does beyond the contract: its binding as others see it, leases, buffering, keep-alive. */
@Timeout(value = 60, unit = SECONDS)
@DisplayName("The NATS JetStream broker, its own behaviour")
class NatsBrokerJetStreamIT {

  private static Vertx vertx;
  private static NatsTestServer server;
  private final List<NatsBroker> brokers = new ArrayList<>();
  private String namespace;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    server = new NatsTestServer();
  }

  @AfterAll
  static void tearDown() throws Exception {
    server.close();
    vertx.close().await(10, SECONDS);
  }

  @BeforeEach
  void newNamespace() {
    namespace = "n" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @AfterEach
  void closeBrokers() throws Exception {
    for (NatsBroker broker : brokers) {
      broker.close().await(20, SECONDS);
    }
  }

  private NatsBroker started(JsonObject overrides) throws Exception {
    JsonObject json = server.options(namespace, "127.0.0.1", NatsTestServer.PORT).toJson().mergeIn(overrides);
    NatsBroker broker = new NatsBroker(vertx, NatsBrokerOptions.fromJson(json), BlueprintEvents.registry());
    brokers.add(broker);
    broker.start().await(30, SECONDS);
    return broker;
  }

  @Test
  @DisplayName("a plain NATS subscriber reads Herald's event as a standard structured CloudEvent")
  void thirdPartyReadsTheCloudEvent() throws Exception {
    NatsBroker broker = started(new JsonObject());
    JetStreamSubscription plain = server.connection().jetStream().subscribe(namespace + ".order.>",
        PushSubscribeOptions.builder().stream(namespace.toUpperCase())
            .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build()).build());
    RecordedEvent event = new RecordedEvent(42, "order-" + namespace, orderPaid(namespace));

    broker.publish(event).await(20, SECONDS);
    Message message = plain.nextMessage(Duration.ofSeconds(10));

    assertThat(message).isNotNull();
    assertThat(message.getSubject()).isEqualTo(namespace + ".order.paid");
    assertThat(message.getHeaders().getFirst("Content-Type")).isEqualTo("application/cloudevents+json");
    assertThat(message.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(event.envelope().id().toString());
    CloudEvent cloudEvent = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE)
        .deserialize(message.getData());
    assertThat(cloudEvent.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(cloudEvent.getId()).isEqualTo(event.envelope().id().toString());
    assertThat(cloudEvent.getType()).isEqualTo("order.paid");
    assertThat(cloudEvent.getSource().toString()).isEqualTo(event.envelope().source());
    assertThat(cloudEvent.getSubject()).isEqualTo(event.envelope().subject());
    assertThat(cloudEvent.getExtension("streamid")).isEqualTo(event.streamId());
    assertThat(new JsonObject(new String(message.getData())).getLong("position")).isEqualTo(42L);
    plain.unsubscribe();
  }

  @Test
  @DisplayName("publishing the same event twice stores it once (Nats-Msg-Id deduplication)")
  void republishingIsDeduplicated() throws Exception {
    NatsBroker broker = started(new JsonObject());
    RecordedEvent event = new RecordedEvent(1, "order-d", orderPaid("d"));

    broker.publish(event).await(20, SECONDS);
    broker.publishAll(List.of(event, event)).await(20, SECONDS);

    long stored = server.connection().jetStreamManagement().getStreamInfo(namespace.toUpperCase())
        .getStreamState().getMsgCount();
    assertThat(stored).isEqualTo(1);
  }

  @Test
  @DisplayName("members on two brokers: one is active; when it closes (its hung handler outlasting handBackTimeoutMs),"
      + " the other takes over with what it held")
  void standbyMemberTakesOverWhenTheActiveOneCloses() throws Exception {
    NatsBroker first = started(new JsonObject().put("handBackTimeoutMs", 500));
    NatsBroker second = started(new JsonObject());
    List<Delivery> held = new CopyOnWriteArrayList<>();
    List<RecordedEvent> taken = new CopyOnWriteArrayList<>();
    BrokerSubscription active = first.subscribe("fulfilment", List.of("order.*"), held::add).await(30, SECONDS);
    second.subscribe("fulfilment", List.of("order.*"), d -> {
      taken.add(d.event());
      d.ack();
    }).await(30, SECONDS);
    RecordedEvent one = new RecordedEvent(1, "order-a", orderPaid("a"));
    RecordedEvent two = new RecordedEvent(2, "order-a", TestEvents.orderShipped("a"));

    first.publishAll(List.of(one, two)).await(20, SECONDS);
    await("the active member holds the first event", 20, () -> held.size() == 1);
    TestEvents.pause(500);
    assertThat(taken).as("what the standby member received while the other was active").isEmpty();
    active.close().await(20, SECONDS);

    await("the standby member gets both events", 30, () -> taken.size() >= 2);
    assertThat(taken).containsExactly(one, two);
    assertThat(held).hasSize(1);
  }

  @Test
  @DisplayName("deliveries lost with another connection: a member hands out nothing newer of a stream before them")
  void lostDeliveriesKeepTheirStreamsOrder() throws Exception {
    NatsBroker broker = started(new JsonObject());
    broker.subscribe("ordered", List.of("order.*"), Delivery::ack).await(30, SECONDS).close().await(20, SECONDS);
    List<RecordedEvent> events = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      events.add(new RecordedEvent(i, "order-l", i % 2 == 0 ? TestEvents.orderShipped("l") : orderPaid("l")));
    }
    broker.publishAll(events).await(20, SECONDS);
    // the first four are delivered on a connection that then goes away without acking or naking them, as a
    // connection cut right after the server sent a pulled batch: the server redelivers them after the ack wait
    JetStreamSubscription lost = server.connection().jetStream().subscribe(null,
        PullSubscribeOptions.bind(namespace.toUpperCase(), "ordered"));
    List<Message> taken = lost.fetch(4, Duration.ofSeconds(10));
    lost.unsubscribe();
    assertThat(taken).hasSize(4);

    List<RecordedEvent> got = new CopyOnWriteArrayList<>();
    broker.subscribe("ordered", List.of("order.*"), d -> {
      got.add(d.event());
      d.ack();
    }).await(30, SECONDS);

    await("all ten arrive", 40, () -> got.size() >= 10);
    assertThat(got.stream().map(RecordedEvent::position).toList()).as("the stream's events, in arrival order")
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
  }

  @Test
  @DisplayName("deliveries missed while active (a gap in the delivery sequence): newer events of a stream wait for them")
  void missedDeliveriesKeepTheirStreamsOrder() throws Exception {
    NatsBroker broker = started(new JsonObject().put("maxBufferedPerMember", 1).put("fetchBatch", 1));
    List<Delivery> got = new CopyOnWriteArrayList<>();
    broker.subscribe("gapped", List.of("order.*"), got::add).await(30, SECONDS);
    List<RecordedEvent> events = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      events.add(new RecordedEvent(i, "order-g", i % 2 == 0 ? TestEvents.orderShipped("g") : orderPaid("g")));
    }
    broker.publish(events.get(0)).await(20, SECONDS);
    await("the first event is held", 20, () -> got.size() == 1);
    broker.publishAll(events.subList(1, 10)).await(20, SECONDS);
    // the member pulls nothing while it holds one; the next four go out on a connection that drops them
    JetStreamSubscription lost = server.connection().jetStream().subscribe(null,
        PullSubscribeOptions.bind(namespace.toUpperCase(), "gapped"));
    List<Message> taken = lost.fetch(4, Duration.ofSeconds(10));
    lost.unsubscribe();
    assertThat(taken).hasSize(4);

    got.get(0).ack().await(20, SECONDS);
    for (int round = 0; round < 400 && got.size() < 10; round++) {
      Delivery last = got.get(got.size() - 1);
      last.ack(); // a second ack of the same delivery fails, harmlessly
      TestEvents.pause(100);
    }
    assertThat(got.stream().map(d -> d.event().position()).toList()).as("the stream's events, in arrival order")
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
  }

  @Test
  @DisplayName("a member stops pulling at maxBufferedPerMember unsettled messages and resumes as they settle")
  void bufferingIsBounded() throws Exception {
    NatsBroker broker = started(new JsonObject().put("maxBufferedPerMember", 5).put("fetchBatch", 3));
    List<Delivery> got = new CopyOnWriteArrayList<>();
    broker.subscribe("slowpoke", List.of("order.*"), got::add).await(30, SECONDS);
    List<RecordedEvent> events = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      events.add(new RecordedEvent(i, "order-" + i, orderPaid("b" + i)));
    }

    broker.publishAll(events).await(20, SECONDS);
    await("the first five arrive", 20, () -> got.size() >= 5);
    TestEvents.pause(1_500);
    assertThat(got).as("deliveries while five are unsettled").hasSize(5);

    for (int round = 0; round < 10 && got.size() < 20; round++) {
      for (Delivery d : List.copyOf(got)) {
        d.ack(); // a second ack of the same delivery fails, harmlessly
      }
      TestEvents.pause(300);
    }
    await("all twenty arrive once the earlier ones are acked", 20, () -> got.size() == 20);
    assertThat(got.stream().map(d -> d.event().position()).distinct().count()).isEqualTo(20);
  }

  @Test
  @DisplayName("a message held longer than the ack wait is kept alive, not redelivered")
  void heldMessagesOutliveTheAckWait() throws Exception {
    NatsBroker broker = started(new JsonObject().put("ackWaitMs", 1_500));
    List<Delivery> got = new CopyOnWriteArrayList<>();
    broker.subscribe("patient", List.of("order.*"), d -> {
      got.add(d);
      vertx.setTimer(4_500, t -> d.ack());
    }).await(30, SECONDS);

    broker.publish(new RecordedEvent(1, "order-p", orderPaid("p"))).await(20, SECONDS);
    await("the event arrives", 20, () -> got.size() == 1);
    TestEvents.pause(6_000);

    assertThat(got).hasSize(1);
    long pending = server.connection().jetStreamManagement().getConsumerInfo(namespace.toUpperCase(), "patient")
        .getNumAckPending();
    assertThat(pending).as("unacked messages left on the server").isZero();
  }

  @Test
  @DisplayName("a dead letter carries the original data and headers plus the four herald-dead-letter headers")
  void deadLetterHeaders() throws Exception {
    NatsBroker broker = started(new JsonObject());
    List<Delivery> got = new CopyOnWriteArrayList<>();
    broker.subscribe("ledger", List.of("order.*"), d -> {
      got.add(d);
      d.deadLetter(new IllegalStateException("rejected\nby the ledger"), 4);
    }).await(30, SECONDS);
    RecordedEvent event = new RecordedEvent(3, "order-l", orderPaid("l"));

    broker.publish(event).await(20, SECONDS);
    await("the event arrives", 20, () -> got.size() == 1);
    List<RawMessage> letters = new ArrayList<>();
    await("the dead letter is stored", 20, () -> {
      try {
        letters.clear();
        letters.addAll(server.deadLetters(namespace, "ledger"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return letters.size() == 1;
    });

    RawMessage letter = letters.get(0);
    Map<String, String> headers = letter.headers();
    assertThat(letter.payload()).isEqualTo(got.get(0).message().payload());
    assertThat(broker.decode(letter)).isEqualTo(event);
    assertThat(headers).containsEntry("Content-Type", "application/cloudevents+json")
        .containsEntry("herald-dead-letter-reason", "rejected?by the ledger")
        .containsEntry("herald-dead-letter-attempts", "4")
        .containsEntry("herald-dead-letter-group", "ledger")
        .containsEntry("herald-dead-letter-origin", got.get(0).message().destination());
    assertThat(got.get(0).message().destination()).startsWith(namespace.toUpperCase() + " " + namespace + ".order.paid #");
    await("the original is acked", 20, () -> ackPending("ledger") == 0);
  }

  @Test
  @DisplayName("an ack given while the server is unreachable is retried and recorded once the connection is back")
  void ackDuringAnOutageIsRecordedAfterIt() throws Exception {
    TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", NatsTestServer.PORT).await(5, SECONDS);
    try {
      JsonObject json = server.options(namespace, "127.0.0.1", proxy.port()).toJson();
      NatsBroker broker = new NatsBroker(vertx, NatsBrokerOptions.fromJson(json), BlueprintEvents.registry());
      brokers.add(broker);
      broker.start().await(30, SECONDS);
      List<Delivery> got = new CopyOnWriteArrayList<>();
      broker.subscribe("steady", List.of("order.*"), got::add).await(30, SECONDS);
      broker.publish(new RecordedEvent(1, "order-s", orderPaid("s"))).await(20, SECONDS);
      await("the event arrives", 20, () -> got.size() == 1);

      proxy.cut();
      await("the broker notices the outage", 20, () -> broker.ping().failed());
      io.vertx.core.Future<Void> ack = got.get(0).ack();
      TestEvents.pause(1_000);
      assertThat(ack.isComplete()).as("the ack completed while the server was unreachable").isFalse();
      proxy.restore();

      ack.await(20, SECONDS);
      assertThat(ackPending("steady")).isZero();
      TestEvents.pause(500);
      assertThat(got).hasSize(1);
    } finally {
      proxy.close().await(5, SECONDS);
    }
  }

  private long ackPending(String group) {
    try {
      return server.connection().jetStreamManagement().getConsumerInfo(namespace.toUpperCase(), group).getNumAckPending();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
      }
      TestEvents.pause(10);
    }
  }
}
