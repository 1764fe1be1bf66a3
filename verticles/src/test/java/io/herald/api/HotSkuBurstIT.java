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
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A flash sale: many orders for one SKU at once, on PostgreSQL with the orchestrated saga and its default timeouts
 * and breakers. Queueing behind the hot SKU is not a failure: every order with a valid card and stock behind it
 * ships, every declined card is cancelled, and the units add up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName("A burst of orders on one hot SKU")
class HotSkuBurstIT {

  static final int CLIENTS = 32;

  private final FreshSchema schema = new FreshSchema("hot_sku_it");
  private ApiNode api;
  private final AtomicInteger shed = new AtomicInteger();

  @BeforeAll
  void startNode() {
    api = ApiNode.start(List.of("postgres"), Map.of("store.postgres.schema", schema.options().schema()));
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
  @DisplayName("400 orders from 32 clients on a SKU of 800 units, every fifth card declined: 320 ship, 80 cancel, 800 units add up")
  void fourHundredOrders() {
    burst(400, 800);
  }

  @Test
  @DisplayName("2,000 orders from 32 clients on one SKU with units enough: every valid card ships, every declined one cancels")
  void twoThousandOrders() {
    burst(2_000, 2_500);
  }

  private void burst(int orders, int units) {
    User user = api.registerUser();
    String sku = unique("HOT");
    accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", units)));

    long started = System.nanoTime();
    Map<String, String> tokenByOrder = placeAll(user, sku, orders);
    assertThat(tokenByOrder).as("every order accepted, a 503 retried after its Retry-After").hasSize(orders);
    System.out.printf("hot SKU burst: %d orders accepted (%d answers of 503 retried) in %d ms%n", orders, shed.get(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

    // no saga left moving: all of them reached an end within a minute of the burst
    ApiNode.eventually(() -> api.getOk("/api/sagas?status=running&limit=1").getJsonArray("sagas").size()
        + api.getOk("/api/sagas?status=compensating&limit=1").getJsonArray("sagas").size(), n -> n == 0);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    assertThat(seconds).as("every saga of the burst ended within 60 s").isLessThanOrEqualTo(60);

    long head = api.head();
    int shipped = 0;
    for (Map.Entry<String, String> order : tokenByOrder.entrySet()) {
      JsonObject found = api.order(order.getKey(), head);
      String expected = order.getValue().equals("tok_decline") ? "cancelled" : "shipped";
      assertThat(found.getString("status")).as("order %s paid with %s", order.getKey(), order.getValue()).isEqualTo(expected);
      shipped += expected.equals("shipped") ? 1 : 0;
    }
    assertThat(shipped).isEqualTo(orders - orders / 5);
    JsonObject stock = api.getOk("/api/inventory/" + sku + "?minPosition=" + head);
    assertThat(stock.getInteger("reserved")).as("shipped units stay reserved").isEqualTo(shipped);
    assertThat(stock.getInteger("available") + shipped).as("available + shipped").isEqualTo(units);
    assertThat(api.getOk("/api/admin/breakers").getJsonArray("breakers").stream().map(JsonObject.class::cast)
        .filter(b -> !b.getString("state").equals("closed")).toList()).as("no breaker open after the burst").isEmpty();
  }

  /** {@link #CLIENTS} clients each placing orders one after the other; every fifth order's card is declined. */
  private Map<String, String> placeAll(User user, String sku, int orders) {
    Map<String, String> tokenByOrder = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      Promise<Void> done = Promise.promise();
      placeNext(user, sku, orders, next, tokenByOrder, done);
      clients.add(done.future());
    }
    Futures.await(Future.all(clients));
    return tokenByOrder;
  }

  private void placeNext(User user, String sku, int orders, AtomicInteger next, Map<String, String> placed, Promise<Void> done) {
    int n = next.getAndIncrement();
    if (n >= orders) {
      done.tryComplete();
      return;
    }
    String token = n % 5 == 4 ? "tok_decline" : "tok_visa";
    place(orderBody(user.userId(), token, line(sku, 1, "9.99"))).onComplete(ar -> {
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      placed.put(ar.result(), token);
      placeNext(user, sku, orders, next, placed, done);
    });
  }

  /** Places one order as a well-behaved client does: a 503 is sent again after its Retry-After. */
  private Future<String> place(JsonObject body) {
    return api.request(HttpMethod.POST, "/api/orders").sendJsonObject(body).compose(r -> {
      if (r.statusCode() == 202) {
        return Future.succeededFuture(r.bodyAsJsonObject().getString("orderId"));
      }
      if (r.statusCode() == 503 && r.getHeader("Retry-After") != null) {
        shed.incrementAndGet();
        return api.after(1_000L * Long.parseLong(r.getHeader("Retry-After"))).compose(v -> place(body));
      }
      return Future.failedFuture(new AssertionError("POST /api/orders answered " + r.statusCode() + ": " + r.bodyAsString()));
    });
  }
}
