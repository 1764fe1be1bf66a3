package io.herald.api;

import static io.herald.api.ApiNode.accepted;
import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.orderBody;
import static io.herald.api.ApiNode.problem;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.Order;
import io.herald.api.ApiNode.User;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * The order saga end to end over HTTP, on a node running every service: an order placed with a token is reserved,
 * charged and shipped by the saga, or cancelled with its reason and everything undone. Subclasses choose the saga
 * mode and the store; the outcome must not depend on either.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class SagaFlowsContract {

  private final String mode;
  protected ApiNode api;

  /** @param mode the {@code saga.mode} of the node: {@code orchestration} or {@code choreography} */
  protected SagaFlowsContract(String mode) {
    this.mode = mode;
  }

  protected abstract List<String> profiles();

  /** @return config keys for this node on top of {@link ApiNode#TEST_SETTINGS} and the saga mode (the store) */
  protected abstract Map<String, String> settings();

  protected void afterNode() {
  }

  @BeforeAll
  void startNode() {
    Map<String, String> settings = new HashMap<>(settings());
    settings.put("saga.mode", mode);
    api = ApiNode.start(profiles(), settings);
  }

  @AfterAll
  void stopNode() {
    try {
      if (api != null) {
        api.close();
      }
    } finally {
      afterNode();
    }
  }

  // ---- helpers

  static String sagaId(String orderId) {
    return "saga-" + orderId;
  }

  /** Waits until the order's saga has finished and returns it. */
  JsonObject finishedSaga(String orderId) {
    return eventually(() -> api.get("/api/sagas/" + sagaId(orderId)),
        r -> r.statusCode() == 200 && Set.of("completed", "compensated").contains(r.bodyAsJsonObject().getString("status")))
        .bodyAsJsonObject();
  }

  String stock(String sku, int available) {
    accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", available)));
    return sku;
  }

  JsonObject stockOf(String sku) {
    return api.getOk("/api/inventory/" + sku + "?minPosition=" + api.head());
  }

  JsonObject orderNow(String orderId) {
    return api.order(orderId, api.head());
  }

  static List<String> stepNames(JsonArray entries, String outcome) {
    return entries.stream().map(JsonObject.class::cast).filter(e -> outcome.equals(e.getString("outcome")))
        .map(e -> e.getString("step")).toList();
  }

  // ---- the three outcomes

  @Test
  @DisplayName("happy path: the order is shipped, stock reduced, payment charged, the saga completed with timed steps")
  void happyPath() {
    User user = api.registerUser();
    String sku = stock(unique("SKU"), 10);
    Order order = api.placeOrder(user.userId(), "tok_visa", line(sku, 3, "12.50"));

    JsonObject saga = finishedSaga(order.orderId());

    assertThat(saga.getString("status")).isEqualTo("completed");
    assertThat(saga.getString("orderId")).isEqualTo(order.orderId());
    assertThat(stepNames(saga.getJsonArray("steps"), "done")).containsExactly(
        "createOrder", "reserveInventory", "processPayment", "markPaid", "createShipment", "markShipped");
    saga.getJsonArray("steps").forEach(s -> assertThat(((JsonObject) s).getString("at")).isNotBlank());
    assertThat(saga.getJsonArray("compensations")).isEmpty();
    assertThat(saga.containsKey("reason")).isFalse();

    JsonObject shipped = orderNow(order.orderId());
    assertThat(shipped.getString("status")).isEqualTo("shipped");
    assertThat(shipped.getString("shipmentId")).isEqualTo("shp-" + order.orderId());
    assertThat(stockOf(sku)).isEqualTo(new JsonObject().put("sku", sku).put("available", 7).put("reserved", 3));
    assertThat(api.streamTypes("payment-pay-" + order.orderId())).containsExactly("payment.processed");
    assertThat(api.stream("payment-pay-" + order.orderId()).get(0).getJsonObject("data").getString("amount"))
        .isEqualTo("37.50");
    // the SKU settles the shipped order's reservation and forgets the order; its units stay counted as reserved
    assertThat(eventually(() -> api.streamTypes("inventory-" + sku), types -> types.contains("inventory.shipped")))
        .containsExactly("inventory.adjusted", "inventory.reserved", "inventory.shipped");
    assertThat(stockOf(sku)).isEqualTo(new JsonObject().put("sku", sku).put("available", 7).put("reserved", 3));
  }

  @Test
  @DisplayName("tok_decline: payment fails, inventory is released, the order is cancelled 'card declined', nothing charged")
  void declinedCard() {
    User user = api.registerUser();
    String sku = stock(unique("SKU"), 5);
    Order order = api.placeOrder(user.userId(), "tok_decline", line(sku, 2, "3.00"));

    JsonObject saga = finishedSaga(order.orderId());

    assertThat(saga.getString("status")).isEqualTo("compensated");
    assertThat(saga.getString("reason")).isEqualTo("card declined");
    assertThat(stepNames(saga.getJsonArray("steps"), "failed")).containsExactly("processPayment");
    assertThat(stepNames(saga.getJsonArray("compensations"), "done")).containsExactly("reserveInventory", "createOrder");
    JsonObject cancelled = orderNow(order.orderId());
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    assertThat(cancelled.getString("reason")).isEqualTo("card declined");
    assertThat(stockOf(sku)).isEqualTo(new JsonObject().put("sku", sku).put("available", 5).put("reserved", 0));
    assertThat(api.streamTypes("payment-pay-" + order.orderId())).containsExactly("payment.failed");
  }

  @Test
  @DisplayName("out of stock: the order is cancelled with the reason, nothing is charged, stock unchanged")
  void outOfStock() {
    User user = api.registerUser();
    String plenty = stock(unique("SKU"), 10);
    String scarce = stock(unique("SKU"), 1);
    Order order = api.placeOrder(user.userId(), "tok_visa", line(plenty, 2, "1.00"), line(scarce, 2, "1.00"));

    JsonObject saga = finishedSaga(order.orderId());

    assertThat(saga.getString("status")).isEqualTo("compensated");
    assertThat(saga.getString("reason")).startsWith("out of stock: " + scarce);
    JsonObject cancelled = orderNow(order.orderId());
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    assertThat(cancelled.getString("reason")).startsWith("out of stock");
    assertThat(api.get("/api/streams/payment-pay-" + order.orderId() + "/events").statusCode()).isEqualTo(404);
    assertThat(stockOf(plenty)).isEqualTo(new JsonObject().put("sku", plenty).put("available", 10).put("reserved", 0));
    assertThat(stockOf(scarce)).isEqualTo(new JsonObject().put("sku", scarce).put("available", 1).put("reserved", 0));
  }

  @Test
  @DisplayName("out of stock on the first line: every other line is given back, the order cancelled, nothing charged")
  void outOfStockFirstLine() {
    User user = api.registerUser();
    String scarce = stock(unique("SKU"), 1);
    String plenty = stock(unique("SKU"), 10);
    String more = stock(unique("SKU"), 10);
    Order order = api.placeOrder(user.userId(), "tok_visa", line(scarce, 2, "1.00"), line(plenty, 2, "1.00"),
        line(more, 3, "1.00"));

    JsonObject saga = finishedSaga(order.orderId());

    assertThat(saga.getString("status")).isEqualTo("compensated");
    assertThat(saga.getString("reason")).startsWith("out of stock: " + scarce);
    assertThat(orderNow(order.orderId()).getString("status")).isEqualTo("cancelled");
    assertThat(api.get("/api/streams/payment-pay-" + order.orderId() + "/events").statusCode()).isEqualTo(404);
    assertThat(stockOf(scarce)).isEqualTo(new JsonObject().put("sku", scarce).put("available", 1).put("reserved", 0));
    assertThat(stockOf(plenty)).isEqualTo(new JsonObject().put("sku", plenty).put("available", 10).put("reserved", 0));
    assertThat(stockOf(more)).isEqualTo(new JsonObject().put("sku", more).put("available", 10).put("reserved", 0));
  }

  // ---- the API

  @Test
  @DisplayName("lists sagas by order and status; an unknown saga is a 404 problem naming it")
  void queries() {
    User user = api.registerUser();
    Order order = api.placeOrder(user.userId(), "tok_decline", line(stock(unique("SKU"), 1), 1, "1.00"));
    finishedSaga(order.orderId());

    JsonArray byOrder = api.getOk("/api/sagas?orderId=" + order.orderId()).getJsonArray("sagas");
    assertThat(byOrder).hasSize(1);
    assertThat(byOrder.getJsonObject(0).getString("sagaId")).isEqualTo(sagaId(order.orderId()));
    assertThat(api.getOk("/api/sagas?orderId=" + order.orderId() + "&status=completed").getJsonArray("sagas")).isEmpty();
    assertThat(api.getOk("/api/sagas?orderId=" + order.orderId() + "&status=compensated").getJsonArray("sagas")).hasSize(1);

    String unknown = unique("saga");
    JsonObject missing = problem(api.get("/api/sagas/" + unknown), 404);
    assertThat(missing.getString("detail")).isEqualTo("saga " + unknown + " not found");
    problem(api.get("/api/sagas?status=sideways"), 400);
  }

  // ---- many at once

  @Test
  @DisplayName("500 concurrent sagas with mixed tokens and stock: every order shipped or cancelled, stock and money add up")
  void manyConcurrentSagas() {
    User user = api.registerUser();
    Map<String, Integer> loaded = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      loaded.put(stock(unique("SKU"), 40 + 40 * i), 40 + 40 * i);
    }
    List<String> skus = new ArrayList<>(loaded.keySet());
    String[] tokens = {"tok_visa", "tok_visa", "tok_visa", "tok_decline"};
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      JsonObject body = orderBody(user.userId(), tokens[i % tokens.length],
          line(skus.get(i % skus.size()), 1 + i % 3, "2.00"), line(skus.get((i + 2) % skus.size()), 1, "0.50"));
      sent.add(api.postLater(i / 4, "/api/orders", body));
    }
    Futures.await(Future.join(sent));
    Set<String> orderIds = new HashSet<>();
    sent.forEach(f -> orderIds.add(accepted(f.result()).getString("orderId")));
    assertThat(orderIds).hasSize(500);

    Map<String, String> sagaStatus = new HashMap<>();
    orderIds.forEach(orderId -> sagaStatus.put(orderId, finishedSaga(orderId).getString("status")));
    long head = api.head();
    Map<String, Integer> shippedUnits = new HashMap<>();
    BigDecimal shippedTotal = BigDecimal.ZERO;
    int shipped = 0;
    for (String orderId : orderIds) {
      JsonObject order = api.order(orderId, head);
      assertThat(order.getString("status")).as("order %s", orderId).isIn("shipped", "cancelled");
      assertThat(sagaStatus.get(orderId)).isEqualTo(order.getString("status").equals("shipped") ? "completed" : "compensated");
      if (order.getString("status").equals("shipped")) {
        shipped++;
        shippedTotal = shippedTotal.add(new BigDecimal(order.getString("total")));
        order.getJsonArray("items").forEach(i -> shippedUnits.merge(((JsonObject) i).getString("sku"),
            ((JsonObject) i).getInteger("quantity"), Integer::sum));
      }
    }
    assertThat(shipped).as("some orders ship, some are declined or out of stock").isBetween(1, 499);
    for (String sku : skus) {
      JsonObject stock = stockOf(sku);
      int out = shippedUnits.getOrDefault(sku, 0);
      assertThat(stock.getInteger("reserved")).as("units of %s held by shipped orders", sku).isEqualTo(out);
      assertThat(stock.getInteger("available") + out).as("stock of %s", sku).isEqualTo(loaded.get(sku));
    }
    BigDecimal charged = BigDecimal.ZERO;
    BigDecimal refunded = BigDecimal.ZERO;
    for (JsonObject event : api.allEvents()) {
      JsonObject data = event.getJsonObject("data");
      if (data.getString("orderId") == null || !orderIds.contains(data.getString("orderId"))) {
        continue;
      }
      if (event.getString("type").equals("payment.processed")) {
        charged = charged.add(new BigDecimal(data.getString("amount")));
      } else if (event.getString("type").equals("payment.refunded")) {
        refunded = refunded.add(new BigDecimal(data.getString("amount")));
      }
    }
    assertThat(charged.subtract(refunded)).isEqualByComparingTo(shippedTotal);
  }
}
