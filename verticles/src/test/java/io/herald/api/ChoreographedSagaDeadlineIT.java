package io.herald.api;

import static io.herald.api.ApiNode.accepted;
import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.User;
import io.herald.broker.eventbus.EventBusBroker;
import io.herald.testing.Futures;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The deadline of choreographed sagas, on an embedded node: a payment slower than the deadline, or one that never
 * reacts, ends in a compensated saga (order cancelled, stock back, payment called off), and a charge arriving late
 * is refused, so nothing stays half done.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@DisplayName("The deadline of the choreographed saga")
class ChoreographedSagaDeadlineIT {

  private static final long SLOW_DELAY_MS = 6_000;

  private ApiNode api;

  @BeforeAll
  void startNode() {
    api = ApiNode.start(List.of(), Map.of(
        "saga.mode", "choreography",
        "saga.deadlineMs", "3000",
        "saga.sweepIntervalMs", "200",
        "payment.slowDelayMs", String.valueOf(SLOW_DELAY_MS)));
  }

  @AfterAll
  void stopNode() {
    if (api != null) {
      api.close();
    }
  }

  private JsonObject finishedSaga(String orderId) {
    return eventually(() -> api.get("/api/sagas/saga-" + orderId),
        r -> r.statusCode() == 200 && Set.of("completed", "compensated").contains(r.bodyAsJsonObject().getString("status")))
        .bodyAsJsonObject();
  }

  private String stock(int available) {
    String sku = unique("SKU");
    accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", available)));
    return sku;
  }

  private JsonObject stockOf(String sku) {
    return api.getOk("/api/inventory/" + sku + "?minPosition=" + api.head());
  }

  /** The saga ended compensated by its deadline, and nothing of it is left: order cancelled, stock back, no charge. */
  private void assertUndoneByDeadline(String orderId, String sku, int loaded) {
    JsonObject saga = finishedSaga(orderId);
    assertThat(saga.getString("status")).isEqualTo("compensated");
    assertThat(saga.getString("reason")).isEqualTo("saga deadline passed before step processPayment");
    assertThat(SagaFlowsContract.stepNames(saga.getJsonArray("steps"), "done")).containsExactly("createOrder", "reserveInventory");
    assertThat(SagaFlowsContract.stepNames(saga.getJsonArray("compensations"), "done")).containsExactly("reserveInventory", "createOrder");
    JsonObject order = api.order(orderId, api.head());
    assertThat(order.getString("status")).isEqualTo("cancelled");
    assertThat(order.getString("reason")).isEqualTo("saga deadline passed before step processPayment");
    assertThat(stockOf(sku)).isEqualTo(new JsonObject().put("sku", sku).put("available", loaded).put("reserved", 0));
    // called off: closed with a refund of nothing, so a charge still on its way is refused
    List<JsonObject> payments = api.stream("payment-pay-" + orderId);
    assertThat(payments).extracting(e -> e.getString("type")).containsExactly("payment.refunded");
    assertThat(payments.get(0).getJsonObject("data").getString("amount")).isEqualTo("0");
  }

  @Test
  @Order(1)
  @DisplayName("a good card goes through well within the deadline")
  void withinDeadline() {
    User user = api.registerUser();
    String sku = stock(5);
    String orderId = api.placeOrder(user.userId(), "tok_visa", line(sku, 2, "4.00")).orderId();

    assertThat(finishedSaga(orderId).getString("status")).isEqualTo("completed");
    assertThat(api.order(orderId, api.head()).getString("status")).isEqualTo("shipped");
    assertThat(stockOf(sku)).isEqualTo(new JsonObject().put("sku", sku).put("available", 3).put("reserved", 2));
  }

  @Test
  @Order(2)
  @DisplayName("tok_slow: the deadline compensates the saga, and the charge arriving afterwards is refused")
  void slowPaymentPastDeadline() {
    User user = api.registerUser();
    String sku = stock(4);
    long placedAt = System.currentTimeMillis();
    String orderId = api.placeOrder(user.userId(), "tok_slow", line(sku, 3, "2.50")).orderId();

    assertUndoneByDeadline(orderId, sku, 4);

    // the slow charge lands after the compensation: it must find the payment closed
    long wait = placedAt + SLOW_DELAY_MS + 1_500 - System.currentTimeMillis();
    if (wait > 0) {
      Futures.await(api.node().vertx().timer(wait));
    }
    assertUndoneByDeadline(orderId, sku, 4);
  }

  @Test
  @Order(3)
  @DisplayName("payment never reacting (its consumer group gone): the deadline compensates the saga")
  void paymentDown() {
    Futures.await(((EventBusBroker) api.node().broker()).deleteGroup("payment-saga"));
    User user = api.registerUser();
    String sku = stock(6);
    String orderId = api.placeOrder(user.userId(), "tok_visa", line(sku, 1, "9.00"), line(sku, 2, "1.00")).orderId();

    assertUndoneByDeadline(orderId, sku, 6);
  }
}
