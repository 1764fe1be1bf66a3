package io.herald.bridge;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.nats.NatsBroker;
import io.herald.broker.nats.NatsBrokerOptions;
import io.herald.delivery.DeadLetter;
import io.herald.delivery.DeadLetters;
import io.herald.delivery.memory.InMemoryDeadLetterStore;
import io.herald.event.EventCodecs;
import io.herald.event.EventFactory;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderPaid;
import io.herald.metrics.HeraldMetrics;
import io.herald.relay.EventRelay;
import io.herald.relay.EventRelayOptions;
import io.herald.store.EventStore;
import io.herald.store.memory.InMemoryCheckpointStore;
import io.herald.store.memory.InMemoryEventStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = SECONDS)
@DisplayName("The relay's dead letters: an event NATS refuses as too large")
class RelayDeadLettersIT {

  private static final EventFactory FACTORY = new EventFactory(BlueprintEvents.registry(), "/herald/test");

  @Test
  @DisplayName("becomes a dead letter of consumer 'relay' with the broker's reason, counted in dead_letters_total, and the next event is published")
  void refusedEventIsADeadLetterOfTheRelay(Vertx vertx) throws Exception {
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    String namespace = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String stream = namespace.toUpperCase(Locale.ROOT);
    NatsBroker broker = new NatsBroker(vertx, NatsBrokerOptions.fromJson(new JsonObject()
        .put("servers", "nats://127.0.0.1:4222").put("namespace", namespace)), BlueprintEvents.registry());
    broker.start().await(30, SECONDS);
    InMemoryEventStore store = new InMemoryEventStore(vertx);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HeraldMetrics metrics = new HeraldMetrics(registry);
    InMemoryDeadLetterStore letters = new InMemoryDeadLetterStore();
    Connection nats = Nats.connect("nats://127.0.0.1:4222");
    EventRelay relay = null;
    try {
      JetStreamManagement jsm = nats.jetStreamManagement();
      jsm.updateStream(StreamConfiguration.builder(jsm.getStreamInfo(stream).getConfiguration())
          .maximumMessageSize(4_096).build());
      relay = new EventRelay(vertx, store, new InMemoryCheckpointStore(), broker, EventRelayOptions.fromJson(new JsonObject()
          .put("checkpointName", "relay-" + namespace).put("retryBaseMs", 10).put("retryCapMs", 200)),
          new RelayDeadLetters(metrics.publishListener(), letters, metrics.deliveryListener(), broker.name(),
              BlueprintEvents.registry()));
      relay.start().await(30, SECONDS);

      store.append("order-big", EventStore.ANY_VERSION, List.of(paid("order-big", 20_000))).await(10, SECONDS);
      store.append("order-ok", EventStore.ANY_VERSION, List.of(paid("order-ok", 10))).await(10, SECONDS);
      EventRelay running = relay;
      long deadline = System.nanoTime() + SECONDS.toNanos(60);
      while (running.lastPublishedPosition() < 2) {
        assertThat(System.nanoTime()).as("the event after the refused one is published within 60 s").isLessThan(deadline);
        Thread.sleep(20);
      }

      List<DeadLetter> kept = new DeadLetters(vertx, letters, 5_000).list(RelayDeadLetters.CONSUMER, 0, 10).await(5, SECONDS);
      assertThat(kept).hasSize(1);
      DeadLetter letter = kept.get(0);
      assertThat(letter.position()).isEqualTo(1);
      assertThat(letter.streamId()).isEqualTo("order-big");
      assertThat(letter.eventType()).isEqualTo("order.paid");
      assertThat(letter.lastError()).contains("message size exceeds maximum allowed");
      assertThat(broker.decode(letter.message()).position()).isEqualTo(1);
      assertThat(letter.toJson().getString("consumer")).isEqualTo("relay");
      assertThat(registry.scrape()).contains("dead_letters_total{consumer=\"relay\",event_type=\"order.paid\"} 1.0");
      assertThat(registry.scrape()).contains("events_published_total{event_type=\"order.paid\"} 1.0");
    } finally {
      if (relay != null) {
        relay.stop().await(20, SECONDS);
      }
      broker.close().await(20, SECONDS);
      store.close().await(5, SECONDS);
      for (String s : List.of(stream, stream + "_DEAD", "KV_" + stream + "_LEASES")) {
        try {
          nats.jetStreamManagement().deleteStream(s);
        } catch (Exception ignored) {
          // not created
        }
      }
      nats.close();
    }
  }

  private static io.herald.event.EventEnvelope paid(String orderId, int paddingChars) {
    return FACTORY.create(new OrderPaid(orderId, "pay-" + "x".repeat(paddingChars), new BigDecimal("12.50")));
  }
}
