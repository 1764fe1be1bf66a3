package io.herald.broker.nats;

import static io.herald.broker.TestEvents.awaitUntil;
import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.MessageBroker;
import io.herald.event.EventCodecs;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.testing.TcpProxy;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection that dies with a large batch in flight: the link first stops carrying bytes (they pile up in the
 * socket buffers and in the client's own queue), then drops. What sat in the client's queue must not reach JetStream
 * after the connection is back, ahead of the retry of what was lost in the sockets.
 */
@DisplayName("NATS: connections that stall, then drop or stay silent")
@Timeout(value = 150, unit = SECONDS)
class NatsBrokerCutIT {

  private static final int EVENTS = 12_000;
  private static NatsTestServer server;
  private Vertx vertx;
  private Vertx proxyVertx;
  private TcpProxy proxy;
  private MessageBroker broker;
  private String namespace;

  @BeforeAll
  static void connect() throws Exception {
    server = new NatsTestServer();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    server.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    proxyVertx = Vertx.vertx(); // the proxy's own event loop: the cut must not wait on the broker's
    proxy = TcpProxy.start(proxyVertx, "127.0.0.1", NatsTestServer.PORT).await(5, SECONDS);
    namespace = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    // more in flight than the socket buffers hold, less than the client's own queue (5,000 messages) takes
    NatsBrokerOptions options = NatsBrokerOptions.fromJson(server.options(namespace, "127.0.0.1", proxy.port()).toJson()
        .put("publishWindow", 4_000).put("publishTimeoutMs", 20_000));
    broker = new NatsBroker(vertx, options, BlueprintEvents.registry());
    broker.start().await(30, SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    broker.close().await(20, SECONDS);
    proxy.close().await(5, SECONDS);
    proxyVertx.close().await(20, SECONDS);
    vertx.close().await(20, SECONDS);
  }

  @Test
  @DisplayName("the batch, retried until confirmed, is stored once and in its order")
  void batchInFlightAtACutKeepsItsOrder() throws Exception {
    String order = "s".repeat(2_000); // about 2.5 kB an event: the window is megabytes, more than the sockets hold
    List<RecordedEvent> events = new ArrayList<>();
    for (int i = 1; i <= EVENTS; i++) {
      events.add(new RecordedEvent(i, "order-s", i % 2 == 0 ? orderShipped(order) : orderPaid(order)));
    }

    proxy.stall();
    Future<Void> published = retryPublishAll(events);
    awaitUntil("ping times out on the stalled link", this::pingFails);
    proxy.cut();
    proxy.restore();
    published.await(120, SECONDS);

    assertThat(storedPositions()).as("the positions in the order JetStream stored them")
        .containsExactlyElementsOf(LongStream.rangeClosed(1, EVENTS).boxed().toList());
  }

  @Test
  @DisplayName("a link that stops carrying bytes but never closes is given up within seconds, not jnats' minutes")
  void silentLinkIsReplaced() throws Exception {
    RecordedEvent first = new RecordedEvent(1, "order-q", orderPaid("q"));
    broker.publishAll(List.of(first)).await(20, SECONDS);

    proxy.stall(); // the sockets stay open: only a probe that wants an answer notices
    awaitUntil("ping times out on the silent link", this::pingFails);
    long stalledAt = System.nanoTime();
    long deadline = stalledAt + SECONDS.toNanos(30);
    while (pingFails()) {
      assertThat(System.nanoTime()).as("ping recovers over new connections within 30 s").isLessThan(deadline);
    }
    RecordedEvent second = new RecordedEvent(2, "order-q", orderShipped("q"));
    retryPublishAll(List.of(second)).await(30, SECONDS);

    assertThat(storedPositions()).containsExactly(1L, 2L);
  }

  /** Reads the whole stream with the test's own connection, straight to the server. */
  private List<Long> storedPositions() throws Exception {
    JetStreamSubscription all = server.connection().jetStream().subscribe(namespace + ".order.>",
        PushSubscribeOptions.builder().stream(namespace.toUpperCase(Locale.ROOT)).configuration(ConsumerConfiguration
            .builder().deliverPolicy(DeliverPolicy.All).ackPolicy(AckPolicy.None).build()).build());
    try {
      List<Long> positions = new ArrayList<>();
      Message message;
      while ((message = all.nextMessage(Duration.ofSeconds(3))) != null) {
        positions.add(new JsonObject(new String(message.getData(), StandardCharsets.UTF_8)).getLong("position"));
      }
      return positions;
    } finally {
      all.unsubscribe();
    }
  }

  private Future<Void> retryPublishAll(List<RecordedEvent> batch) {
    return broker.publishAll(batch).recover(err -> {
      Promise<Void> later = Promise.promise();
      vertx.setTimer(200, t -> retryPublishAll(batch).onComplete(later));
      return later.future();
    });
  }

  private boolean pingFails() {
    Future<Void> ping = broker.ping();
    awaitUntil("the ping completes", ping::isComplete);
    return ping.failed();
  }
}
