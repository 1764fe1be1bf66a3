package io.herald.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.aggregate.AggregateRepository;
import io.herald.aggregate.CommandRejectedException;
import io.herald.aggregate.Loaded;
import io.herald.aggregate.RepositoryOptions;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.PaymentFailed;
import io.herald.event.domain.PaymentProcessed;
import io.herald.event.domain.PaymentRefunded;
import io.herald.store.memory.InMemoryEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The payment of an order")
class PaymentAggregateTest {

  private static final BigDecimal AMOUNT = new BigDecimal("39.90");

  private Vertx vertx;
  private InMemoryEventStore store;
  private AggregateRepository<PaymentState> payments;

  @BeforeAll
  void open() {
    vertx = Vertx.vertx();
    store = new InMemoryEventStore(vertx);
    payments = new AggregateRepository<>(store, new PaymentAggregate(), new EventFactory(BlueprintEvents.registry(), "payment"),
        new RepositoryOptions(2, 10));
  }

  @AfterAll
  void close() {
    vertx.close().await();
  }

  private String order() {
    return "ord-" + UUID.randomUUID();
  }

  private PaymentState charge(String orderId, String token, BigDecimal amount) {
    return payments.handle(PaymentAggregate.paymentId(orderId), p -> PaymentAggregate.charge(p, orderId, amount, token))
        .await().aggregate().state();
  }

  private List<Class<?>> stored(String orderId) {
    return store.readStream("payment-" + PaymentAggregate.paymentId(orderId), 1).await().stream()
        .map(RecordedEvent::data).<Class<?>>map(Object::getClass).toList();
  }

  @Test
  @DisplayName("tok_visa is charged once, however often it is asked")
  void chargedOnce() {
    String orderId = order();
    assertThat(charge(orderId, PaymentAggregate.TOKEN_VISA, AMOUNT).status()).isEqualTo(PaymentState.Status.CHARGED);
    assertThat(charge(orderId, PaymentAggregate.TOKEN_VISA, AMOUNT).status()).isEqualTo(PaymentState.Status.CHARGED);

    assertThat(stored(orderId)).containsExactly(PaymentProcessed.class);
  }

  @Test
  @DisplayName("tok_decline is stored as a failure with 'card declined'; a later attempt with a good card is charged")
  void declinedThenCharged() {
    String orderId = order();
    PaymentState declined = charge(orderId, PaymentAggregate.TOKEN_DECLINE, AMOUNT);
    assertThat(declined.status()).isEqualTo(PaymentState.Status.FAILED);
    assertThat(declined.reason()).isEqualTo("card declined");

    PaymentState charged = charge(orderId, PaymentAggregate.TOKEN_VISA, AMOUNT);

    assertThat(charged.status()).isEqualTo(PaymentState.Status.CHARGED);
    assertThat(charged.attempts()).isEqualTo(2);
    assertThat(stored(orderId)).containsExactly(PaymentFailed.class, PaymentProcessed.class);
  }

  @Test
  @DisplayName("an unknown or empty token is declined with a reason naming it")
  void unknownToken() {
    assertThat(charge(order(), "tok_unknown", AMOUNT).reason()).isEqualTo("payment token 'tok_unknown' is not accepted");
    String legacy = order();
    assertThat(charge(legacy, "", AMOUNT).reason()).isEqualTo("no payment token on order " + legacy);
  }

  @Test
  @DisplayName("a refund needs a charge, happens once, and blocks any later charge")
  void refund() {
    String orderId = order();
    String paymentId = PaymentAggregate.paymentId(orderId);
    Throwable nothing = Futures.failureOf(payments.handle(paymentId, p -> PaymentAggregate.refund(p, orderId, "x")));
    assertThat(nothing).isInstanceOf(CommandRejectedException.class).hasMessage("order " + orderId + " has no charge to refund");

    charge(orderId, PaymentAggregate.TOKEN_VISA, AMOUNT);
    payments.handle(paymentId, p -> PaymentAggregate.refund(p, orderId, "cancelled")).await();
    payments.handle(paymentId, p -> PaymentAggregate.refund(p, orderId, "cancelled")).await();
    Throwable again = Futures.failureOf(payments.handle(paymentId,
        p -> PaymentAggregate.charge(p, orderId, AMOUNT, PaymentAggregate.TOKEN_VISA)));

    assertThat(again).isInstanceOf(CommandRejectedException.class).hasMessage("the payment of order " + orderId + " was refunded");
    assertThat(stored(orderId)).containsExactly(PaymentProcessed.class, PaymentRefunded.class);
    Loaded<PaymentState> loaded = payments.load(paymentId).await();
    assertThat(loaded.state().status()).isEqualTo(PaymentState.Status.REFUNDED);
  }

  @Test
  @DisplayName("a second charge of another amount is refused, naming both amounts")
  void otherAmount() {
    String orderId = order();
    charge(orderId, PaymentAggregate.TOKEN_VISA, AMOUNT);
    Throwable refused = Futures.failureOf(payments.handle(PaymentAggregate.paymentId(orderId),
        p -> PaymentAggregate.charge(p, orderId, new BigDecimal("1.00"), PaymentAggregate.TOKEN_VISA)));

    assertThat(refused).hasMessage("order " + orderId + " was already charged 39.90, not 1.00");
  }

  @Test
  @DisplayName("state survives a snapshot: loading after many attempts gives the same payment")
  void snapshotRoundTrip() {
    String orderId = order();
    charge(orderId, PaymentAggregate.TOKEN_DECLINE, AMOUNT);
    charge(orderId, PaymentAggregate.TOKEN_DECLINE, AMOUNT);
    charge(orderId, PaymentAggregate.TOKEN_VISA, AMOUNT);
    PaymentAggregate aggregate = new PaymentAggregate();
    PaymentState state = payments.load(PaymentAggregate.paymentId(orderId)).await().state();

    assertThat(aggregate.fromSnapshot(aggregate.toSnapshot(state))).isEqualTo(state);
    assertThat(store.loadSnapshot("payment-" + PaymentAggregate.paymentId(orderId)).await()).isPresent();
  }
}
