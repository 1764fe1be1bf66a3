package io.herald.api;

import static io.herald.api.ApiNode.accepted;
import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.orderBody;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.User;
import io.herald.store.pg.FreshSchema;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * Sagas in flight when the process dies: Vert.x is closed under them, a new node starts on the same schema, and
 * every saga ends completed (order shipped) or compensated (order cancelled, stock back), never both, never stuck;
 * orchestrated (the orchestrator resumes them) and choreographed (redelivered events, and the deadline for those the
 * embedded broker lost).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("Sagas across a crash, on PostgreSQL")
class PostgresSagaCrashIT {

  private final FreshSchema schema = new FreshSchema("saga_crash_it");
  private ApiNode api;

  @AfterEach
  void tearDown() {
    try {
      if (api != null) {
        api.close();
      }
    } finally {
      schema.drop();
    }
  }

  private ApiNode startNode(String mode) {
    Map<String, String> settings = new HashMap<>(Map.of("saga.mode", mode, "store.postgres.schema", schema.options().schema()));
    if (mode.equals("choreography")) {
      // the embedded broker loses what it held at the crash: the deadline settles those sagas, well within the wait
      settings.put("saga.deadlineMs", "10000");
    }
    return ApiNode.start(List.of("postgres"), settings);
  }

  @ParameterizedTest(name = "saga.mode {0}")
  @ValueSource(strings = {"orchestration", "choreography"})
  @DisplayName("every saga in flight at the crash ends completed or compensated on the next node")
  void crashMidSaga(String mode) {
    api = startNode(mode);
    User user = api.registerUser();
    String sku = unique("SKU");
    accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", 30)));
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    String[] tokens = {"tok_visa", "tok_decline", "tok_visa"};
    for (int i = 0; i < 60; i++) {
      sent.add(api.postLater(i, "/api/orders", orderBody(user.userId(), tokens[i % 3], line(sku, 1, "4.00"))));
    }
    Futures.await(Future.join(sent));
    List<String> orderIds = sent.stream().map(f -> accepted(f.result()).getString("orderId")).toList();

    api.crash();
    api = startNode(mode);

    Map<String, String> outcome = new HashMap<>();
    for (String orderId : orderIds) {
      JsonObject saga = eventually(() -> api.get("/api/sagas/saga-" + orderId), r -> r.statusCode() == 200
          && Set.of("completed", "compensated").contains(r.bodyAsJsonObject().getString("status"))).bodyAsJsonObject();
      outcome.put(orderId, saga.getString("status"));
      List<String> compensated = SagaFlowsContract.stepNames(saga.getJsonArray("compensations"), "done");
      if (saga.getString("status").equals("completed")) {
        assertThat(compensated).as("a completed saga undid nothing").isEmpty();
      } else {
        assertThat(compensated).as("a compensated saga cancelled its order").contains("createOrder");
      }
    }
    long head = api.head();
    int shipped = 0;
    for (String orderId : orderIds) {
      String status = api.order(orderId, head).getString("status");
      assertThat(status).as("order %s", orderId).isEqualTo(outcome.get(orderId).equals("completed") ? "shipped" : "cancelled");
      shipped += status.equals("shipped") ? 1 : 0;
      List<String> payments = api.get("/api/streams/payment-pay-" + orderId + "/events").statusCode() == 404
          ? List.of() : api.streamTypes("payment-pay-" + orderId);
      if (status.equals("shipped")) {
        assertThat(payments).containsExactly("payment.processed");
      } else {
        // nothing charged (declined, out of stock, never reached), or the charge was refunded
        if (payments.contains("payment.processed")) {
          assertThat(payments).last().isEqualTo("payment.refunded");
        }
      }
    }
    assertThat(shipped).isPositive();
    JsonObject stock = api.getOk("/api/inventory/" + sku + "?minPosition=" + head);
    assertThat(stock.getInteger("reserved")).isEqualTo(shipped);
    assertThat(stock.getInteger("available") + shipped).isEqualTo(30);
  }
}
