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
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The public HTTP API end to end: one real node per test class, a real HTTP client, every flow of the contract
 * ({@code openapi/herald-api.yaml}) that a client drives by hand, so the node runs every service but the saga, which
 * would take each order through on its own (the saga's flows are {@link SagaFlowsContract}). Subclasses say how the node is configured (which store). Every test uses users,
 * orders and SKUs of its own, so tests never see each other's data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ApiFlowsContract {

  private static final List<String> PROJECTIONS =
      List.of("users", "inventory", "order-users", "orders", "notifications", "analytics", "leads", "audit");

  protected ApiNode api;

  /** @return the config profiles the node starts with ({@code postgres}), none for the defaults */
  protected abstract List<String> profiles();

  /** @return config keys set for this node on top of {@link ApiNode#TEST_SETTINGS} */
  protected abstract Map<String, String> settings();

  /** Runs once the node has stopped, e.g. to drop its schema. */
  protected void afterNode() {
  }

  @BeforeAll
  void startNode() {
    api = ApiNode.start(profiles(), settings());
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

  private static List<String> types(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("type")).toList();
  }

  // ---- users

  @Test
  @DisplayName("registers a user (202, Location), reads it back, and refuses its email a second time with 409")
  void registerUser() {
    String email = ApiNode.uniqueEmail();
    HttpResponse<Buffer> response = api.post("/api/users", new JsonObject().put("email", email).put("username", "ada"));

    JsonObject accepted = accepted(response);
    String userId = accepted.getString("userId");
    assertThat(userId).isNotBlank();
    assertThat(accepted.getLong("position")).isPositive();
    assertThat(response.getHeader("Location")).isEqualTo("/api/users/" + userId);

    JsonObject user = api.getOk("/api/users/" + userId + "?minPosition=" + accepted.getLong("position"));
    assertThat(user.getString("userId")).isEqualTo(userId);
    assertThat(user.getString("email")).isEqualTo(email);
    assertThat(user.getString("username")).isEqualTo("ada");

    JsonObject again = problem(api.post("/api/users", new JsonObject().put("email", email).put("username", "eve")), 409);
    assertThat(again.getString("detail")).contains(email);
  }

  // ---- event notification

  @Test
  @DisplayName("a registration sends a welcome email, counts in analytics and becomes a CRM lead")
  void registrationNotifies() {
    User first = api.registerUser();
    long before = api.getOk("/api/analytics?minPosition=" + first.position()).getLong("usersRegistered");

    User user = api.registerUser();

    JsonArray emails = eventually(
        () -> api.getOk("/api/notifications?to=" + user.email() + "&minPosition=" + user.position())
            .getJsonArray("notifications"),
        found -> !found.isEmpty());
    assertThat(emails).hasSize(1);
    assertThat(emails.getJsonObject(0).getString("to")).isEqualTo(user.email());
    assertThat(emails.getJsonObject(0).getString("template")).isEqualTo("welcome");

    long after = api.getOk("/api/analytics?minPosition=" + user.position()).getLong("usersRegistered");
    assertThat(after).isEqualTo(before + 1);

    JsonArray leads = api.getOk("/api/leads?minPosition=" + user.position()).getJsonArray("leads");
    List<JsonObject> mine = leads.stream().map(JsonObject.class::cast)
        .filter(l -> user.userId().equals(l.getString("userId"))).toList();
    assertThat(mine).hasSize(1);
    assertThat(mine.get(0).getString("email")).isEqualTo(user.email());
  }

  // ---- event-carried state transfer

  @Test
  @DisplayName("order.created carries the user's email and the address (schema v2), in its stream and in the global log")
  void eventCarriedState() {
    User user = api.registerUser();
    JsonObject body = orderBody(user.userId(), "tok_visa", line(unique("SKU"), 1, "5.00"));
    JsonObject accepted = accepted(api.post("/api/orders", body));
    String orderId = accepted.getString("orderId");
    long position = accepted.getLong("position");

    List<JsonObject> events = api.stream("order-" + orderId);
    JsonObject created = events.get(0);
    assertThat(created.getString("type")).isEqualTo("order.created");
    assertThat(created.getString("specversion")).isEqualTo("1.0");
    assertThat(created.getString("subject")).isEqualTo(orderId);
    assertThat(created.getInteger("schemaversion")).isEqualTo(2);
    assertThat(created.getJsonObject("data").getString("email")).isEqualTo(user.email());
    assertThat(created.getJsonObject("data").getJsonObject("shippingAddress")).isEqualTo(body.getJsonObject("shippingAddress"));

    JsonArray page = api.getOk("/api/events?from=" + position + "&limit=1").getJsonArray("events");
    assertThat(page).hasSize(1);
    JsonObject global = page.getJsonObject(0);
    assertThat(global.getString("id")).isEqualTo(created.getString("id"));
    assertThat(global.getLong("position")).isEqualTo(position);
    assertThat(global.getString("type")).isEqualTo("order.created");

    List<JsonObject> userEvents = api.stream("user-" + user.userId());
    assertThat(types(userEvents)).containsExactly("user.registered");
    assertThat(userEvents.get(0).getString("subject")).isEqualTo(user.userId());
    assertThat(userEvents.get(0).getLong("position")).isEqualTo(user.position());
  }

  // ---- order lifecycle

  @Test
  @DisplayName("an order is pending with its exact total, is paid once, ships, and cannot be cancelled once shipped")
  void lifecycle() {
    User user = api.registerUser();
    String sku1 = unique("SKU");
    String sku2 = unique("SKU");
    Order order = api.placeOrder(user.userId(), "tok_visa", line(sku1, 2, "19.90"), line(sku2, 1, "0.10"));

    JsonObject pending = api.order(order.orderId(), order.position());
    assertThat(pending.getString("orderId")).isEqualTo(order.orderId());
    assertThat(pending.getString("userId")).isEqualTo(user.userId());
    assertThat(pending.getString("status")).isEqualTo("pending");
    assertThat(pending.getValue("total")).isEqualTo("39.90");
    assertThat(pending.getJsonArray("items")).containsExactly(line(sku1, 2, "19.90"), line(sku2, 1, "0.10"));

    long paid = api.orderCommand(order.orderId(), "pay");
    assertThat(api.order(order.orderId(), paid).getString("status")).isEqualTo("paid");

    JsonObject payAgain = problem(api.post("/api/orders/" + order.orderId() + "/pay"), 409);
    assertThat(payAgain.getString("detail")).contains("already paid");

    long shipped = api.orderCommand(order.orderId(), "ship");
    assertThat(api.order(order.orderId(), shipped).getString("status")).isEqualTo("shipped");

    JsonObject cancel = problem(api.post("/api/orders/" + order.orderId() + "/cancel"), 409);
    assertThat(cancel.getString("detail")).contains("already shipped");
    assertThat(api.streamTypes("order-" + order.orderId()))
        .containsExactly("order.created", "order.paid", "order.shipped");
  }

  @Test
  @DisplayName("shipping an order that is not paid is refused with 409")
  void shipBeforePay() {
    User user = api.registerUser();
    Order order = api.placeOrder(user.userId(), "tok_visa");

    JsonObject refused = problem(api.post("/api/orders/" + order.orderId() + "/ship"), 409);

    assertThat(refused.getString("detail")).contains("not paid yet");
    assertThat(api.order(order.orderId(), order.position()).getString("status")).isEqualTo("pending");
  }

  @Test
  @DisplayName("a pending order is cancelled with the reason given")
  void cancelPending() {
    User user = api.registerUser();
    Order order = api.placeOrder(user.userId(), "tok_visa");

    long cancelled = accepted(api.post("/api/orders/" + order.orderId() + "/cancel",
        new JsonObject().put("reason", "changed my mind"))).getLong("position");

    JsonObject doc = api.order(order.orderId(), cancelled);
    assertThat(doc.getString("status")).isEqualTo("cancelled");
    assertThat(doc.getString("reason")).isEqualTo("changed my mind");
  }

  @Test
  @DisplayName("cancelling a paid order refunds its payment")
  void cancelPaid() {
    User user = api.registerUser();
    Order order = api.placeOrder(user.userId(), "tok_visa");
    api.orderCommand(order.orderId(), "pay");

    long cancelled = api.orderCommand(order.orderId(), "cancel");

    assertThat(api.order(order.orderId(), cancelled).getString("status")).isEqualTo("cancelled");
    assertThat(api.streamTypes("payment-pay-" + order.orderId())).containsExactly("payment.processed", "payment.refunded");
  }

  @Test
  @DisplayName("lists exactly a user's paid orders")
  void listPaidOrders() {
    User user = api.registerUser();
    User other = api.registerUser();
    Order first = api.placeOrder(user.userId(), "tok_visa");
    Order second = api.placeOrder(user.userId(), "tok_visa");
    api.placeOrder(user.userId(), "tok_visa");   // stays pending
    Order foreign = api.placeOrder(other.userId(), "tok_visa");
    api.orderCommand(first.orderId(), "pay");
    api.orderCommand(foreign.orderId(), "pay");
    long last = api.orderCommand(second.orderId(), "pay");

    JsonArray orders = api.getOk("/api/orders?userId=" + user.userId() + "&status=paid&minPosition=" + last)
        .getJsonArray("orders");

    assertThat(orders.stream().map(o -> ((JsonObject) o).getString("orderId")).toList())
        .containsExactlyInAnyOrder(first.orderId(), second.orderId());
    assertThat(orders.stream().map(o -> ((JsonObject) o).getString("status")).toList()).containsOnly("paid");
  }

  // ---- payments

  @Test
  @DisplayName("a declined card answers 402 'card declined', the order stays pending and the attempt is stored")
  void declinedCard() {
    User user = api.registerUser();
    Order order = api.placeOrder(user.userId(), "tok_decline");

    JsonObject declined = problem(api.post("/api/orders/" + order.orderId() + "/pay"), 402);

    assertThat(declined.getString("detail")).isEqualTo("card declined");
    assertThat(api.order(order.orderId(), order.position()).getString("status")).isEqualTo("pending");
    assertThat(api.streamTypes("payment-pay-" + order.orderId())).containsExactly("payment.failed");
    assertThat(api.streamTypes("order-" + order.orderId())).containsExactly("order.created");
  }

  @Test
  @DisplayName("a charge answering late is a 504; once it is stored, paying again succeeds without a second charge")
  void slowCard() {
    User user = api.registerUser();
    Order order = api.placeOrder(user.userId(), "tok_slow");
    String payments = "payment-pay-" + order.orderId();

    problem(api.post("/api/orders/" + order.orderId() + "/pay"), 504);
    eventually(() -> api.get("/api/streams/" + payments + "/events"), r -> r.statusCode() == 200);

    long paid = api.orderCommand(order.orderId(), "pay");

    assertThat(api.order(order.orderId(), paid).getString("status")).isEqualTo("paid");
    assertThat(api.streamTypes(payments)).containsExactly("payment.processed");
    assertThat(api.streamTypes("order-" + order.orderId())).containsExactly("order.created", "order.paid");
  }

  // ---- inventory

  @Test
  @DisplayName("sets the stock of a SKU and reads it back; an unknown SKU is 404")
  void inventory() {
    String sku = unique("SKU");

    long position = accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", 10))).getLong("position");

    JsonObject stock = api.getOk("/api/inventory/" + sku + "?minPosition=" + position);
    assertThat(stock).isEqualTo(new JsonObject().put("sku", sku).put("available", 10).put("reserved", 0));
    problem(api.get("/api/inventory/" + unique("SKU") + "?minPosition=" + position), 404);
  }

  // ---- concurrency

  private List<HttpResponse<Buffer>> concurrently(List<HttpRequest<Buffer>> requests) {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    requests.forEach(r -> sent.add(api.sendAsync(r)));
    Futures.await(Future.join(sent));
    return sent.stream().map(Future::result).toList();
  }

  @Test
  @DisplayName("20 concurrent payments of one order: exactly one succeeds, the others are 409, one order.paid, no refund")
  void concurrentPayments() {
    User user = api.registerUser();
    Order order = api.placeOrder(user.userId(), "tok_visa");
    List<HttpRequest<Buffer>> pays = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pays.add(api.request(HttpMethod.POST, "/api/orders/" + order.orderId() + "/pay"));
    }

    List<HttpResponse<Buffer>> answers = concurrently(pays);

    assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(202, 409);
    assertThat(answers).filteredOn(r -> r.statusCode() == 202).hasSize(1);
    long paid = answers.stream().filter(r -> r.statusCode() == 202).findFirst().orElseThrow()
        .bodyAsJsonObject().getLong("position");
    assertThat(api.order(order.orderId(), paid).getString("status")).isEqualTo("paid");
    assertThat(api.streamTypes("order-" + order.orderId())).containsExactly("order.created", "order.paid");
    // the order stays paid, so the one charge must stand: no refund of a payment the order holds
    assertThat(api.streamTypes("payment-pay-" + order.orderId())).containsExactly("payment.processed");
  }

  @Test
  @DisplayName("20 concurrent cancels and payments of one order lose no update and leave money and order consistent")
  void concurrentCancelsAndPayments() {
    User user = api.registerUser();
    Order order = api.placeOrder(user.userId(), "tok_visa");
    List<HttpRequest<Buffer>> commands = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      commands.add(api.request(HttpMethod.POST, "/api/orders/" + order.orderId() + (i % 2 == 0 ? "/pay" : "/cancel")));
    }

    List<HttpResponse<Buffer>> answers = concurrently(commands);

    assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(202, 409);
    List<HttpResponse<Buffer>> pays = new ArrayList<>();
    List<HttpResponse<Buffer>> cancels = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      (i % 2 == 0 ? pays : cancels).add(answers.get(i));
    }
    long paysAccepted = pays.stream().filter(r -> r.statusCode() == 202).count();
    long cancelsAccepted = cancels.stream().filter(r -> r.statusCode() == 202).count();
    assertThat(paysAccepted).isLessThanOrEqualTo(1);
    assertThat(cancelsAccepted).as("a cancel of a pending or paid order is always possible").isEqualTo(10);

    List<String> orderEvents = api.streamTypes("order-" + order.orderId());
    assertThat(Collections.frequency(orderEvents, "order.paid")).isEqualTo(paysAccepted);
    assertThat(orderEvents).containsOnlyOnce("order.created", "order.cancelled").endsWith("order.cancelled");

    long head = api.head();
    JsonObject doc = api.order(order.orderId(), head);
    assertThat(doc.getString("status")).isEqualTo("cancelled");

    // money: whatever was charged for a cancelled order was given back, once
    HttpResponse<Buffer> payments = api.get("/api/streams/payment-pay-" + order.orderId() + "/events");
    if (payments.statusCode() == 200) {
      List<String> paymentEvents = types(payments.bodyAsJsonObject().getJsonArray("events").stream()
          .map(JsonObject.class::cast).toList());
      assertThat(Collections.frequency(paymentEvents, "payment.processed")).isLessThanOrEqualTo(1);
      assertThat(Collections.frequency(paymentEvents, "payment.refunded"))
          .isEqualTo(Collections.frequency(paymentEvents, "payment.processed"));
    } else {
      assertThat(payments.statusCode()).isEqualTo(404);
      assertThat(paysAccepted).isZero();
    }
  }

  @Test
  @DisplayName("a cancel racing a payment never leaves the money of a cancelled order charged")
  void cancelRacingPayment() {
    User user = api.registerUser();
    for (int offsetMs = 0; offsetMs < 15; offsetMs++) {
      Order order = api.placeOrder(user.userId(), "tok_visa");
      Future<HttpResponse<Buffer>> pay = api.sendLater(0, api.request(HttpMethod.POST, "/api/orders/" + order.orderId() + "/pay"));
      Future<HttpResponse<Buffer>> cancel =
          api.sendLater(offsetMs, api.request(HttpMethod.POST, "/api/orders/" + order.orderId() + "/cancel"));
      Futures.await(Future.join(pay, cancel));

      String at = "cancel " + offsetMs + " ms after the payment";
      assertThat(pay.result().statusCode()).as(at).isIn(202, 409);
      assertThat(cancel.result().statusCode()).as(at).isEqualTo(202);
      assertThat(api.streamTypes("order-" + order.orderId())).as(at).endsWith("order.cancelled");
      HttpResponse<Buffer> payments = api.get("/api/streams/payment-pay-" + order.orderId() + "/events");
      if (payments.statusCode() == 200) {
        List<String> types = types(payments.bodyAsJsonObject().getJsonArray("events").stream().map(JsonObject.class::cast).toList());
        assertThat(types).as(at).containsExactly("payment.processed", "payment.refunded");
      } else {
        assertThat(payments.statusCode()).as(at).isEqualTo(404);
        assertThat(pay.result().statusCode()).as(at).isEqualTo(409);
      }
    }
  }

  // ---- audit

  @Test
  @DisplayName("lists audit entries from a position in position order, with where to continue")
  void audit() {
    User user = api.registerUser();
    Order order = api.placeOrder(user.userId(), "tok_visa");

    JsonObject page = eventually(() -> api.getOk("/api/audit?from=" + user.position() + "&limit=2"),
        p -> p.getJsonArray("entries").size() == 2);

    JsonArray entries = page.getJsonArray("entries");
    long firstPosition = entries.getJsonObject(0).getLong("position");
    long secondPosition = entries.getJsonObject(1).getLong("position");
    assertThat(firstPosition).isEqualTo(user.position());
    assertThat(entries.getJsonObject(0).getString("type")).isEqualTo("user.registered");
    assertThat(entries.getJsonObject(0).getString("subject")).isEqualTo(user.userId());
    assertThat(secondPosition).isGreaterThan(firstPosition).isLessThanOrEqualTo(order.position());
    assertThat(page.getLong("next")).isEqualTo(secondPosition + 1);

    JsonObject following = eventually(() -> api.getOk("/api/audit?from=" + page.getLong("next") + "&limit=2"),
        p -> !p.getJsonArray("entries").isEmpty());
    assertThat(following.getJsonArray("entries").getJsonObject(0).getLong("position")).isGreaterThan(secondPosition);
  }

  // ---- projections admin

  @Test
  @DisplayName("lists every projection with state, checkpoint and lag")
  void listProjections() {
    JsonArray projections = api.getOk("/api/admin/projections").getJsonArray("projections");

    assertThat(projections.stream().map(p -> ((JsonObject) p).getString("name")).toList())
        .containsExactlyInAnyOrderElementsOf(PROJECTIONS);
    for (Object p : projections) {
      JsonObject projection = (JsonObject) p;
      assertThat(projection.getString("state")).isIn("stopped", "standby", "catching_up", "live", "rebuilding", "failed");
      assertThat(projection.getLong("checkpoint")).isNotNull().isNotNegative();
      assertThat(projection.getLong("lag")).isNotNull().isNotNegative();
    }
  }

  @Test
  @DisplayName("rebuilds the orders projection while serving reads, back to live with the same documents")
  void rebuildOrders() {
    User user = api.registerUser();
    Order order = api.placeOrder(user.userId(), "tok_visa");
    long paid = api.orderCommand(order.orderId(), "pay");
    JsonObject before = api.order(order.orderId(), paid);

    long head = api.head();

    for (int round = 1; round <= 5; round++) {
      JsonObject started = accepted(api.post("/api/admin/projections/orders/rebuild"));
      assertThat(started.getString("name")).isEqualTo("orders");
      // a read right away, while the model is emptied and replayed, waits for its position instead of missing
      assertThat(api.order(order.orderId(), paid)).as("read during rebuild %d", round).isEqualTo(before);

      eventually(() -> api.projection("orders"),
          p -> "live".equals(p.getString("state")) && p.getLong("checkpoint") >= head);
      assertThat(api.order(order.orderId(), paid)).as("read after rebuild %d", round).isEqualTo(before);
    }
  }

  @Test
  @DisplayName("refuses to rebuild an unknown projection with 404 listing the known ones")
  void rebuildUnknown() {
    JsonObject refused = problem(api.post("/api/admin/projections/nope/rebuild"), 404);

    assertThat(refused.getString("detail")).contains("nope").contains(PROJECTIONS);
  }

  // ---- idempotency keys

  @Test
  @DisplayName("an order retried with the same Idempotency-Key is placed once and the retry replays the first answer")
  void idempotentOrder() {
    User user = api.registerUser();
    JsonObject body = orderBody(user.userId(), "tok_visa");
    String key = unique("key");

    HttpResponse<Buffer> first = api.send(api.request(HttpMethod.POST, "/api/orders").putHeader("Idempotency-Key", key), body);
    HttpResponse<Buffer> second = api.send(api.request(HttpMethod.POST, "/api/orders").putHeader("Idempotency-Key", key), body);

    JsonObject placed = accepted(first);
    assertThat(first.getHeader("Idempotent-Replayed")).isNull();
    assertThat(accepted(second).getString("orderId")).isEqualTo(placed.getString("orderId"));
    assertThat(second.getHeader("Idempotent-Replayed")).isEqualTo("true");
    JsonArray orders = api.getOk("/api/orders?userId=" + user.userId() + "&minPosition=" + api.head()).getJsonArray("orders");
    assertThat(orders).hasSize(1);
    assertThat(orders.getJsonObject(0).getString("orderId")).isEqualTo(placed.getString("orderId"));

    JsonObject other = orderBody(user.userId(), "tok_decline");
    problem(api.send(api.request(HttpMethod.POST, "/api/orders").putHeader("Idempotency-Key", key), other), 422);
  }

  // ---- read-your-writes

  @Test
  @DisplayName("a read with the position of a write sees that write at once, from the query or the Min-Position header")
  void readYourWrites() {
    User user = api.registerUser();
    JsonObject placed = accepted(api.post("/api/orders", orderBody(user.userId(), "tok_visa")));
    String orderId = placed.getString("orderId");

    HttpResponse<Buffer> read = api.get("/api/orders/" + orderId + "?minPosition=" + placed.getLong("position"));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getString("status")).isEqualTo("pending");

    long paid = api.orderCommand(orderId, "pay");
    HttpResponse<Buffer> viaHeader = api.get("/api/orders/" + orderId, MultiMap.caseInsensitiveMultiMap()
        .add("Min-Position", Long.toString(paid)));
    assertThat(viaHeader.statusCode()).isEqualTo(200);
    assertThat(viaHeader.bodyAsJsonObject().getString("status")).isEqualTo("paid");
  }
}
