package io.herald.api;

import static io.herald.api.ApiNode.accepted;
import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.User;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The payment breaker of the orchestrated saga, at its default of five failures: concurrent slow charges open it, sagas
 * then fail fast into compensation without calling payment, and once payment answers again the breaker half-opens,
 * closes, and new sagas go through. Compensations go through a breaker of their own ({@code payment.compensation}):
 * calling off the slow charges neither resets the count of the forward breaker nor waits for it to close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@DisplayName("The orchestrator's circuit breakers")
class SagaBreakerIT {

  private ApiNode api;

  @BeforeAll
  void startNode() {
    api = ApiNode.start(List.of(), Map.of(
        "saga.mode", "orchestration",
        // steps get time enough for a busy machine: only the slow card may time out
        "saga.stepTimeoutMs", "1500",
        "saga.breaker.timeoutMs", "2000",
        // saga.breaker.maxFailures stays at its default (5)
        "saga.breaker.resetTimeoutMs", "5000",
        "payment.slowDelayMs", "3000"));
  }

  @AfterAll
  void stopNode() {
    if (api != null) {
      api.close();
    }
  }

  private JsonObject saga(String orderId) {
    return eventually(() -> api.get("/api/sagas/saga-" + orderId),
        r -> r.statusCode() == 200 && Set.of("completed", "compensated").contains(r.bodyAsJsonObject().getString("status")))
        .bodyAsJsonObject();
  }

  private JsonObject breaker(String name) {
    return api.getOk("/api/admin/breakers").getJsonArray("breakers").stream().map(JsonObject.class::cast)
        .filter(b -> name.equals(b.getString("name"))).findFirst().orElse(new JsonObject().put("state", "closed"));
  }

  @Test
  @DisplayName("opens after 5 concurrent slow charges, fails later sagas fast into compensation, half-opens and closes when payment answers")
  void slowPaymentOpensThenCloses() {
    User user = api.registerUser();
    String sku = unique("SKU");
    accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", 100)));

    // five slow charges at once time out: the fifth failure opens the payment breaker, while their compensations,
    // succeeding meanwhile through payment.compensation, do not reset its count
    List<Future<HttpResponse<Buffer>>> slowOnes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      slowOnes.add(api.postLater(0, "/api/orders", ApiNode.orderBody(user.userId(), "tok_slow", line(sku, 1, "5.00"))));
    }
    Futures.await(Future.join(slowOnes));
    eventually(() -> breaker("payment").getString("state"), "open"::equals);

    // while open: a good card fails fast, payment is never called, stock and order are given back
    String fast = api.placeOrder(user.userId(), "tok_visa", line(sku, 1, "5.00")).orderId();
    JsonObject failedFast = saga(fast);
    assertThat(failedFast.getString("status")).isEqualTo("compensated");
    assertThat(failedFast.getString("reason")).isEqualTo("payment unavailable: circuit breaker open");
    assertThat(SagaFlowsContract.stepNames(failedFast.getJsonArray("steps"), "failed")).containsExactly("processPayment");
    assertThat(api.get("/api/streams/payment-pay-" + fast + "/events").statusCode()).isEqualTo(404);
    assertThat(api.order(fast, api.head()).getString("status")).isEqualTo("cancelled");

    // the slow sagas compensate too, their payments called off through the compensation breaker
    for (Future<HttpResponse<Buffer>> slow : slowOnes) {
      String orderId = accepted(slow.result()).getString("orderId");
      assertThat(saga(orderId).getString("status")).isEqualTo("compensated");
      List<String> payments = api.streamTypes("payment-pay-" + orderId);
      assertThat(payments).last().isEqualTo("payment.refunded");
    }

    // no forward call reached payment meanwhile: after its reset timeout the breaker waits half-open for the next one,
    // which goes through and closes it
    eventually(() -> breaker("payment").getString("state"), "half_open"::equals);
    String after = api.placeOrder(user.userId(), "tok_visa", line(sku, 1, "5.00")).orderId();
    assertThat(saga(after).getString("status")).isEqualTo("completed");
    assertThat(breaker("payment").getString("state")).isEqualTo("closed");
    assertThat(breaker("payment").getJsonArray("changes").stream().map(c -> ((JsonObject) c).getString("state")).toList())
        .containsSubsequence("open", "half_open", "closed");
    assertThat(api.getOk("/api/admin/breakers").getJsonArray("breakers").stream().map(b -> ((JsonObject) b).getString("name")))
        .as("the call-offs went through a breaker of their own").contains("payment.compensation");
    assertThat(breaker("payment.compensation").getString("state")).isEqualTo("closed");
    JsonObject stock = api.getOk("/api/inventory/" + sku + "?minPosition=" + api.head());
    assertThat(stock.getInteger("available") + stock.getInteger("reserved")).isEqualTo(100);
    assertThat(stock.getInteger("reserved")).isEqualTo(1);
  }
}
