package io.herald.api;

import static io.herald.api.ApiNode.accepted;
import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.orderBody;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.User;
import io.herald.store.pg.FreshSchema;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
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
 * Backpressure reaches the client: while a service has more queued than {@code backpressure.maxQueued}, a new order
 * is answered 503 with {@code Retry-After} and nothing is stored for it; once the queue drains, orders are accepted
 * again. Queue depths are visible as {@code service_queue_depth{service}}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("Backpressure at the HTTP edge")
class BackpressureIT {

  private final FreshSchema schema = new FreshSchema("backpressure_it");
  private ApiNode api;

  @BeforeAll
  void startNode() {
    api = ApiNode.start(List.of("postgres"), Map.of(
        "store.postgres.schema", schema.options().schema(),
        // a tiny bound, reported often: a burst of sagas is past it at once
        "backpressure.maxQueued", "3",
        "backpressure.reportIntervalMs", "20",
        "backpressure.retryAfterSeconds", "2"));
  }

  @AfterAll
  void stopNode() {
    try {
      if (api != null) {
        api.close();
      }
    } finally {
      schema.drop();
    }
  }

  @Test
  @DisplayName("past the bound new orders get 503 + Retry-After naming the busy service and store nothing; after the drain they are accepted")
  void shedsThenAccepts() {
    User user = api.registerUser();
    String sku = unique("SKU");
    accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", 10_000)));
    long before = api.head();

    // a burst spread over 200 ms: the first ones start sagas, the saga service reports them, the rest are shed
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(api.postLater(i, "/api/orders", orderBody(user.userId(), "tok_visa", line(sku, 1, "1.00"))));
    }
    Futures.await(Future.join(sent));

    List<HttpResponse<Buffer>> shed = sent.stream().map(Future::result).filter(r -> r.statusCode() == 503).toList();
    List<HttpResponse<Buffer>> taken = sent.stream().map(Future::result).filter(r -> r.statusCode() == 202).toList();
    assertThat(shed.size() + taken.size()).as("every answer is 202 or 503").isEqualTo(200);
    assertThat(shed).as("some orders shed").isNotEmpty();
    assertThat(taken).as("some orders taken").isNotEmpty();
    HttpResponse<Buffer> refused = shed.get(0);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("2");
    assertThat(refused.getHeader("Content-Type")).isEqualTo(ApiNode.PROBLEM_JSON);
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("service 'saga'").contains("(bound 3)");

    // only the accepted orders were stored
    long created = api.allEvents().stream().filter(e -> e.getLong("position") > before)
        .filter(e -> e.getString("type").equals("order.created")).count();
    assertThat(created).isEqualTo(taken.size());

    // the queue drains: every accepted order ships, and a new order is accepted again
    for (HttpResponse<Buffer> r : taken) {
      String orderId = r.bodyAsJsonObject().getString("orderId");
      ApiNode.eventually(() -> api.order(orderId, 0).getString("status"), "shipped"::equals);
    }
    HttpResponse<Buffer> later = ApiNode.eventually(
        () -> api.post("/api/orders", orderBody(user.userId(), "tok_visa", line(sku, 1, "1.00"))), r -> r.statusCode() == 202);
    assertThat(later.statusCode()).isEqualTo(202);
    String metrics = api.get("/metrics").bodyAsString();
    assertThat(metrics).contains("service_queue_depth{service=\"saga\"}").contains("service_queue_depth{service=\"inventory\"}");
  }

  @Test
  @DisplayName("while orders are shed, a retry whose order was placed replays it; a new key is shed and not kept")
  void keyedRetryReplaysWhileShedding() {
    User user = api.registerUser();
    String sku = unique("SKU");
    accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", 10_000)));
    JsonObject body = orderBody(user.userId(), "tok_visa", line(sku, 1, "1.00"));
    String placedKey = unique("placed");
    HttpResponse<Buffer> placed = api.send(api.request(HttpMethod.POST, "/api/orders").putHeader("Idempotency-Key",
        placedKey), body);
    assertThat(placed.statusCode()).isEqualTo(202);

    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      burst.add(api.postLater(i, "/api/orders", orderBody(user.userId(), "tok_visa", line(sku, 1, "1.00"))));
    }
    ApiNode.eventually(() -> api.post("/api/orders", orderBody(user.userId(), "tok_visa", line(sku, 1, "1.00"))),
        r -> r.statusCode() == 503);
    String newKey = unique("new");
    HttpResponse<Buffer> shedNew = api.send(api.request(HttpMethod.POST, "/api/orders").putHeader("Idempotency-Key",
        newKey), body);
    HttpResponse<Buffer> retried = api.send(api.request(HttpMethod.POST, "/api/orders").putHeader("Idempotency-Key",
        placedKey), body);
    Futures.await(Future.join(burst));

    assertThat(retried.statusCode()).as("the placed order's retry while shedding").isEqualTo(202);
    assertThat(retried.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retried.bodyAsJsonObject().getString("orderId")).isEqualTo(placed.bodyAsJsonObject().getString("orderId"));
    assertThat(shedNew.statusCode()).as("a new keyed order while shedding").isEqualTo(503);
    assertThat(shedNew.getHeader("Retry-After")).isEqualTo("2");

    // the shed key was given back: once the queue drains, the same request runs (not a 409, not a replay)
    HttpResponse<Buffer> later = ApiNode.eventually(() -> api.send(api.request(HttpMethod.POST, "/api/orders")
        .putHeader("Idempotency-Key", newKey), body), r -> r.statusCode() != 503);
    assertThat(later.statusCode()).isEqualTo(202);
    assertThat(later.getHeader("Idempotent-Replayed")).isNull();
  }
}
