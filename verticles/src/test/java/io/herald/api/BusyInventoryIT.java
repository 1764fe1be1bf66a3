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
import java.time.Duration;
import java.time.Instant;
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
 * A service that is busy is not down: the inventory answers "busy, retry" (429) past a tiny per-SKU queue bound, the
 * HTTP client gets 429 with {@code Retry-After}, and sagas waiting on the busy SKU are asked again with backoff
 * (their deadline pushed back by the wait) instead of compensating or opening the inventory breaker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName("A busy inventory")
class BusyInventoryIT {

  private static final long DEADLINE_MS = 30_000;

  private final FreshSchema schema = new FreshSchema("busy_inventory_it");
  private ApiNode api;

  @BeforeAll
  void startNode() {
    api = ApiNode.start(List.of("postgres"), Map.of(
        "store.postgres.schema", schema.options().schema(),
        // one command decided at a time and two waiting: a burst on one SKU is answered busy at once
        "inventory.maxBatch", "1",
        "inventory.maxQueuedPerSku", "2",
        "saga.deadlineMs", String.valueOf(DEADLINE_MS)));
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
  @DisplayName("commands past the SKU's queue bound get 429 busy with Retry-After; the ones taken are all applied")
  void busyAnswer() {
    String sku = unique("SKU");
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add(api.request(HttpMethod.PUT, "/api/inventory/" + sku).sendJsonObject(new JsonObject().put("available", 100 + i)));
    }
    Futures.await(Future.join(sent));

    List<HttpResponse<Buffer>> busy = sent.stream().map(Future::result).filter(r -> r.statusCode() == 429).toList();
    assertThat(busy).as("some commands found the queue full").isNotEmpty();
    assertThat(sent.stream().map(Future::result).filter(r -> r.statusCode() == 202).count() + busy.size()).isEqualTo(40);
    assertThat(busy.get(0).getHeader("Retry-After")).isEqualTo("1");
    assertThat(ApiNode.problem(busy.get(0), 429).getString("detail")).contains("busy").contains(sku);
    assertThat(api.streamTypes("inventory-" + sku)).as("one event per command taken, none for the busy ones")
        .hasSize(40 - busy.size());
  }

  @Test
  @DisplayName("sagas that meet a busy SKU wait and ask again: every order ships, the deadline is pushed back, no breaker opens")
  void sagasWaitOutBusy() {
    User user = api.registerUser();
    String sku = unique("SKU");
    accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", 1_000)));

    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      sent.add(api.postLater(1, "/api/orders", orderBody(user.userId(), "tok_visa", line(sku, 1, "2.00"))));
    }
    Futures.await(Future.join(sent));
    List<String> orderIds = sent.stream().map(f -> accepted(f.result()).getString("orderId")).toList();

    int postponed = 0;
    for (String orderId : orderIds) {
      JsonObject saga = ApiNode.eventually(() -> api.get("/api/sagas/saga-" + orderId),
          r -> r.statusCode() == 200 && "completed".equals(r.bodyAsJsonObject().getString("status"))
              || r.statusCode() == 200 && "compensated".equals(r.bodyAsJsonObject().getString("status"))).bodyAsJsonObject();
      assertThat(saga.getString("status")).as("saga of %s: %s", orderId, saga).isEqualTo("completed");
      Duration granted = Duration.between(Instant.parse(saga.getString("startedAt")), Instant.parse(saga.getString("deadline")));
      postponed += granted.toMillis() > DEADLINE_MS ? 1 : 0;
    }
    assertThat(postponed).as("sagas whose deadline was pushed back by a busy wait").isPositive();
    assertThat(api.getOk("/api/admin/breakers").getJsonArray("breakers").stream().map(JsonObject.class::cast)
        .filter(b -> b.getString("name").startsWith("inventory")).map(b -> b.getString("state")).toList())
        .containsOnly("closed");
    JsonObject stock = api.getOk("/api/inventory/" + sku + "?minPosition=" + api.head());
    assertThat(stock.getInteger("reserved")).isEqualTo(150);
    assertThat(stock.getInteger("available")).isEqualTo(850);
  }
}
