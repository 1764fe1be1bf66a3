package io.herald.broker.kafka;

import static io.herald.broker.TestEvents.orderPaid;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.EventConsumers;
import io.herald.broker.Recorder;
import io.herald.broker.TestEvents;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.testing.TcpProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka's clients find the broker through its advertised listener after bootstrapping, so a TCP proxy cut in the
 * middle of a session does not cut them off; these tests make Kafka unreachable from the start instead.
 */
@DisplayName("The Kafka broker when Kafka cannot be reached")
@Timeout(value = 90, unit = SECONDS)
class KafkaAvailabilityIT {

  private static Vertx vertx;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    vertx.close().await(20, SECONDS);
    KafkaTestSupport.deleteNamespaces();
  }

  @Test
  @DisplayName("pointed at a closed port it starts, but ping, publish and subscribe fail with BrokerUnavailableException within their timeouts")
  void failsFastWhenKafkaIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    KafkaBroker broker = broker(KafkaTestSupport.namespace("down"), "127.0.0.1:" + closedPort);
    try {
      broker.start().await(20, SECONDS);

      long t0 = System.nanoTime();
      assertThat(failure(broker.ping())).isInstanceOf(BrokerUnavailableException.class)
          .hasMessageContaining("did not answer");
      assertThat(elapsedMs(t0)).as("ping time, ms").isLessThan(6_000);

      t0 = System.nanoTime();
      assertThat(failure(broker.publish(new RecordedEvent(1, "order-1", orderPaid("1")))))
          .isInstanceOf(BrokerUnavailableException.class);
      assertThat(elapsedMs(t0)).as("publish time, ms").isLessThan(8_000);

      t0 = System.nanoTime();
      assertThat(failure(broker.subscribe("g", List.of("order.*"), d -> d.ack())))
          .isInstanceOf(BrokerUnavailableException.class);
      assertThat(elapsedMs(t0)).as("subscribe time, ms").isLessThan(8_000);
    } finally {
      broker.close().await(20, SECONDS);
    }
  }

  @Test
  @DisplayName("when Kafka becomes reachable, ping, publishing and consuming recover without another start")
  void recoversByItselfWhenKafkaComesBack() throws Exception {
    TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", KafkaTestSupport.PORT).await(5, SECONDS);
    proxy.cut();
    KafkaBroker broker = broker(KafkaTestSupport.namespace("back"), "127.0.0.1:" + proxy.port());
    try {
      broker.start().await(20, SECONDS);
      assertThat(failure(broker.ping())).isInstanceOf(BrokerUnavailableException.class);
      RecordedEvent first = new RecordedEvent(1, "order-1", orderPaid("1"));
      assertThat(failure(broker.publish(first))).isInstanceOf(BrokerUnavailableException.class);

      proxy.restore();
      awaitTrue("ping recovers", 30, () -> pingSucceeds(broker));
      Recorder recorder = new Recorder();
      new EventConsumers(broker).subscribe("ledger", List.of("order.*"), recorder).await(30, SECONDS);
      broker.publish(first).await(20, SECONDS);
      awaitTrue("the event arrives", 30, () -> recorder.received(1));
    } finally {
      broker.close().await(20, SECONDS);
      proxy.close().await(5, SECONDS);
    }
  }

  private static KafkaBroker broker(String namespace, String servers) {
    return new KafkaBroker(vertx, KafkaBrokerOptions.fromJson(new JsonObject()
        .put("bootstrapServers", servers)
        .put("namespace", namespace)
        .put("pingTimeoutMs", 1_000)
        .put("publishTimeoutMs", 3_000)
        .put("joinTimeoutMs", 20_000)), BlueprintEvents.registry());
  }

  private static boolean pingSucceeds(KafkaBroker broker) {
    Future<Void> ping = broker.ping();
    try {
      ping.await(10, SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static Throwable failure(Future<?> future) {
    try {
      future.await(30, SECONDS);
    } catch (Exception e) {
      return future.failed() ? future.cause() : e;
    }
    throw new AssertionError("expected a failure, but the future succeeded with " + future.result());
  }

  private static long elapsedMs(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  static void awaitTrue(String what, int seconds, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
      }
      TestEvents.pause(20);
    }
  }
}
