package io.herald.api;

import static io.herald.api.ApiNode.accepted;
import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.User;
import io.herald.store.pg.FreshSchema;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An orchestrated saga whose charge is in flight when the node dies, resumed by a new node after its deadline: the
 * charge's outcome is unknown, so compensating calls the payment off too (a charge that would still arrive is then
 * refused), releases the stock and cancels the order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("A saga step in flight at a crash, on PostgreSQL")
class PostgresSagaInFlightIT {

  private final FreshSchema schema = new FreshSchema("saga_inflight_it");
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

  private ApiNode startNode() {
    Map<String, String> settings = new HashMap<>(Map.of(
        "saga.mode", "orchestration",
        "store.postgres.schema", schema.options().schema(),
        // the slow card's charge stays in flight until the crash: the saga waits longer than the test
        "payment.slowDelayMs", "60000",
        "saga.stepTimeoutMs", "60000",
        "saga.breaker.timeoutMs", "60000",
        "saga.deadlineMs", "4000"));
    return ApiNode.start(List.of("postgres"), settings);
  }

  @Test
  @DisplayName("resumed past its deadline, the in-flight charge is recorded unknown and called off, the stock released")
  void inFlightChargeCalledOffOnResume() {
    api = startNode();
    User user = api.registerUser();
    String sku = unique("SKU");
    accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", 5)));
    String orderId = api.placeOrder(user.userId(), "tok_slow", line(sku, 2, "4.00")).orderId();
    JsonObject inFlight = eventually(() -> api.get("/api/sagas/saga-" + orderId),
        r -> r.statusCode() == 200 && "processPayment".equals(r.bodyAsJsonObject().getString("step"))).bodyAsJsonObject();

    api.crash();
    Instant deadline = Instant.parse(inFlight.getString("deadline"));
    eventually(Instant::now, now -> now.isAfter(deadline));
    api = startNode();

    JsonObject saga = eventually(() -> api.get("/api/sagas/saga-" + orderId), r -> r.statusCode() == 200
        && Set.of("completed", "compensated").contains(r.bodyAsJsonObject().getString("status"))).bodyAsJsonObject();
    assertThat(saga.getString("status")).isEqualTo("compensated");
    assertThat(SagaFlowsContract.stepNames(saga.getJsonArray("steps"), "unknown")).containsExactly("processPayment");
    assertThat(SagaFlowsContract.stepNames(saga.getJsonArray("compensations"), "done"))
        .containsExactly("processPayment", "reserveInventory", "createOrder");
    assertThat(api.streamTypes("payment-pay-" + orderId)).last().isEqualTo("payment.refunded");
    long head = api.head();
    assertThat(api.order(orderId, head).getString("status")).isEqualTo("cancelled");
    JsonObject stock = api.getOk("/api/inventory/" + sku + "?minPosition=" + head);
    assertThat(stock.getInteger("reserved")).isZero();
    assertThat(stock.getInteger("available")).isEqualTo(5);
  }
}
