package io.herald.delivery;

import static io.herald.broker.TestEvents.awaitUntil;
import static io.herald.broker.TestEvents.failureOf;
import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static io.herald.broker.TestEvents.pause;
import static io.herald.broker.TestEvents.recorded;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerSubscription;
import io.herald.broker.eventbus.EventBusBroker;
import io.herald.broker.eventbus.EventBusBrokerOptions;
import io.herald.delivery.memory.InMemoryDeadLetterStore;
import io.herald.delivery.memory.InMemoryInbox;
import io.herald.event.EventCodecs;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = SECONDS)
@DisplayName("Consumers: guarantees, retries and dead letters")
class ConsumersTest {

  private EventBusBroker broker;
  private InMemoryDeadLetterStore store;
  private Consumers consumers;
  private DeadLetters deadLetters;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    broker = new EventBusBroker(vertx, EventBusBrokerOptions.fromJson(new JsonObject()
        .put("address", "herald.test." + UUID.randomUUID())), BlueprintEvents.registry());
    broker.start().await(5, SECONDS);
    store = new InMemoryDeadLetterStore();
    consumers = new Consumers(vertx, broker, store, new RetryPolicy(3, 20, 80));
    deadLetters = new DeadLetters(vertx, store, 5_000);
  }

  @AfterEach
  void tearDown() throws Exception {
    broker.close().await(5, SECONDS);
  }

  @Test
  @DisplayName("the delivery listener hears of each subscription, each event handled (with its time) and each dead letter")
  void deliveryListener(Vertx vertx) throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    Consumers listened = new Consumers(vertx, broker, store, new RetryPolicy(2, 5, 10), new DeliveryListener() {
      @Override
      public void subscribed(String group, List<String> typePatterns) {
        heard.add("subscribed " + group + " " + typePatterns);
      }

      @Override
      public void handled(String group, io.herald.event.RecordedEvent event, long elapsedNanos) {
        heard.add("handled " + group + " " + event.position() + (elapsedNanos > 0 ? "" : " without a duration"));
      }

      @Override
      public void deadLettered(String group, String eventType) {
        heard.add("dead letter " + group + " " + eventType);
      }
    });
    listened.atLeastOnce("billing", List.of("order.*"), event -> event.position() == 2
        ? Future.failedFuture(new IllegalStateException("ledger closed")) : Future.succeededFuture()).await(5, SECONDS);
    broker.publishAll(List.of(recorded(1, "order-l", orderPaid("l")), recorded(2, "order-m", orderPaid("m"))))
        .await(5, SECONDS);
    awaitUntil("both events are settled", () -> heard.size() == 3);
    assertThat(heard).containsExactlyInAnyOrder("subscribed billing [order.*]", "handled billing 1",
        "dead letter billing order.paid");
  }

  @Test
  @DisplayName("a failing handler is retried in place, its stream waits, and it succeeds without a dead letter")
  void retriesKeepTheStreamWaiting() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(2);
    consumers.atLeastOnce("shipping", List.of("order.*"), event -> {
      seen.add(Long.toString(event.position()));
      if (event.position() == 1 && failuresLeft.getAndDecrement() > 0) {
        return Future.failedFuture(new IllegalStateException("carrier offline"));
      }
      return Future.succeededFuture();
    }).await(5, SECONDS);

    broker.publishAll(List.of(recorded(1, "order-a", orderPaid("a")), recorded(2, "order-a", orderShipped("a"))))
        .await(5, SECONDS);
    awaitUntil("the second event is handled", () -> seen.contains("2"));
    pause(100);

    assertThat(seen).containsExactly("1", "1", "1", "2");
    assertThat(store.list(null, 0, 10).await(5, SECONDS)).isEmpty();
  }

  @Test
  @DisplayName("after maxAttempts the event becomes a dead letter with payload, attempts, error and origin, and the stream goes on")
  void exhaustedRetriesMakeADeadLetter() throws Exception {
    List<Long> handled = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    consumers.atLeastOnce("ledger", List.of("order.*"), event -> {
      if (event.position() == 1) {
        calls.incrementAndGet();
        return Future.failedFuture(new IllegalArgumentException("account 42 is closed"));
      }
      handled.add(event.position());
      return Future.succeededFuture();
    }).await(5, SECONDS);
    RecordedEvent doomed = recorded(1, "order-b", orderPaid("b"));

    broker.publishAll(List.of(doomed, recorded(2, "order-b", orderShipped("b")))).await(5, SECONDS);
    awaitUntil("the next event of the stream is handled", () -> handled.contains(2L));

    assertThat(calls).hasValue(3);
    List<DeadLetter> letters = store.list(null, 0, 10).await(5, SECONDS);
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.consumer()).isEqualTo("ledger");
    assertThat(letter.broker()).isEqualTo(broker.name());
    assertThat(letter.eventId()).isEqualTo(doomed.envelope().id());
    assertThat(letter.eventType()).isEqualTo("order.paid");
    assertThat(letter.position()).isEqualTo(1);
    assertThat(letter.attempts()).isEqualTo(3);
    assertThat(letter.lastError()).isEqualTo("account 42 is closed");
    assertThat(letter.firstFailedAt()).isBeforeOrEqualTo(letter.lastFailedAt());
    assertThat(broker.decode(letter.message())).isEqualTo(doomed);
    assertThat(letter.toJson().getString("payload")).contains("\"type\":\"order.paid\"");
    assertThat(broker.deadLetters("ledger")).as("the broker's own dead-letter destination").hasSize(1);
  }

  @Test
  @DisplayName("a dead letter is redriven to its group once the cause is fixed, and is then gone")
  void redriveHandlesTheDeadLetterAgain() throws Exception {
    AtomicBoolean accountOpen = new AtomicBoolean(false);
    List<RecordedEvent> booked = new CopyOnWriteArrayList<>();
    consumers.atLeastOnce("ledger", List.of("order.*"), event -> {
      if (!accountOpen.get()) {
        return Future.failedFuture(new IllegalStateException("account closed"));
      }
      booked.add(event);
      return Future.succeededFuture();
    }).await(5, SECONDS);
    RecordedEvent event = recorded(7, "order-c", orderPaid("c"));
    broker.publish(event).await(5, SECONDS);
    awaitUntil("the event is dead-lettered", () -> store.list(null, 0, 10).result().size() == 1);
    DeadLetter letter = store.list(null, 0, 10).await(5, SECONDS).get(0);

    Throwable stillFailing = failureOf(deadLetters.redrive(letter.id()));
    assertThat(stillFailing).isInstanceOf(RedriveFailedException.class).hasMessageContaining("account closed");
    assertThat(store.get(letter.id()).await(5, SECONDS)).get().extracting(DeadLetter::redrives).isEqualTo(1);

    accountOpen.set(true);
    JsonObject redriven = deadLetters.redrive(letter.id()).await(5, SECONDS);

    assertThat(redriven.getString("eventId")).isEqualTo(event.envelope().id().toString());
    assertThat(booked).containsExactly(event);
    assertThat(store.get(letter.id()).await(5, SECONDS)).isEmpty();
    assertThat(failureOf(deadLetters.redrive(letter.id()))).isInstanceOf(DeadLetterNotFoundException.class);
  }

  @Test
  @DisplayName("closing a group lets go at once of an event waiting for its retry: the group's next member tries it")
  void closingLetsGoOfWhatWaitsForARetry(Vertx vertx) throws Exception {
    Consumers slowRetries = new Consumers(vertx, broker, store, new RetryPolicy(5, 60_000, 60_000));
    List<String> tries = new CopyOnWriteArrayList<>();
    BrokerSubscription leaving = slowRetries.atLeastOnce("ledger", List.of("order.*"), event -> {
      tries.add("first " + event.position());
      return Future.failedFuture(new IllegalStateException("ledger locked"));
    }).await(5, SECONDS);
    broker.publish(recorded(4, "order-r", orderPaid("r"))).await(5, SECONDS);
    awaitUntil("the first try failed", () -> tries.size() == 1);
    slowRetries.atLeastOnce("ledger", List.of("order.*"), event -> {
      tries.add("next " + event.position());
      return Future.succeededFuture();
    }).await(5, SECONDS);

    leaving.close().await(5, SECONDS);   // held, the broker would wait handBackTimeoutMs (30 s) for it
    awaitUntil("the next member handles it", () -> tries.contains("next 4"));

    assertThat(tries).containsExactly("first 4", "next 4");
    assertThat(store.list("ledger", 0, 10).await(5, SECONDS)).as("dead letters").isEmpty();
  }

  @Test
  @DisplayName("redriving a dead letter whose group runs nowhere says so and keeps it")
  void redriveWithoutItsGroupIsRefused() throws Exception {
    BrokerSubscription subscription = consumers.atLeastOnce("reports", List.of("order.*"),
        event -> Future.failedFuture(new IllegalStateException("disk full"))).await(5, SECONDS);
    broker.publish(recorded(3, "order-d", orderPaid("d"))).await(5, SECONDS);
    awaitUntil("the event is dead-lettered", () -> store.list("reports", 0, 10).result().size() == 1);
    subscription.close().await(5, SECONDS);
    DeadLetter letter = store.list("reports", 0, 10).await(5, SECONDS).get(0);

    assertThat(failureOf(deadLetters.redrive(letter.id()))).isInstanceOf(RedriveUnavailableException.class)
        .hasMessageContaining("'reports' is not running");
    assertThat(store.get(letter.id()).await(5, SECONDS)).isPresent();
  }

  @Test
  @DisplayName("at-most-once acks before handling: a failure is not retried, only kept as a dead letter")
  void atMostOnceDoesNotRetry() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    consumers.atMostOnce("metrics", List.of("order.*"), event -> {
      calls.incrementAndGet();
      return Future.failedFuture(new IllegalStateException("gauge overflow"));
    }).await(5, SECONDS);

    broker.publish(recorded(1, "order-e", orderPaid("e"))).await(5, SECONDS);
    awaitUntil("the failure is kept", () -> store.list(null, 0, 10).result().size() == 1);
    pause(300);

    assertThat(calls).hasValue(1);
    assertThat(store.list(null, 0, 10).await(5, SECONDS).get(0).attempts()).isEqualTo(1);
    assertThat(broker.deadLetters("metrics")).as("already acked: nothing left to move").isEmpty();
  }

  @Test
  @DisplayName("effectively-once through an inbox: the same event delivered twice has its effect once")
  void effectivelyOnceIgnoresRepeats() throws Exception {
    AtomicInteger effects = new AtomicInteger();
    List<Long> deliveries = new CopyOnWriteArrayList<>();
    consumers.effectivelyOnce("mailer", List.of("order.*"), new InMemoryInbox(), (event, tx) -> {
      deliveries.add(event.position());
      effects.incrementAndGet();
      return Future.succeededFuture();
    }).await(5, SECONDS);
    RecordedEvent event = recorded(5, "order-f", orderPaid("f"));

    broker.publish(event).await(5, SECONDS);
    broker.publish(event).await(5, SECONDS); // a redelivery after a lost ack looks exactly like this
    broker.publish(recorded(6, "order-f", orderShipped("f"))).await(5, SECONDS);
    awaitUntil("the next event is handled", () -> deliveries.contains(6L));

    assertThat(effects).hasValue(2);
    assertThat(deliveries).containsExactly(5L, 6L);
  }
}
