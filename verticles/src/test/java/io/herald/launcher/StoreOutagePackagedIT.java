package io.herald.launcher;

import static io.herald.launcher.ProcessTests.awaitUntil;
import static io.herald.launcher.ProcessTests.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.pg.FreshSchema;
import io.herald.testing.Futures;
import io.herald.testing.TcpProxy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * herald.jar on PostgreSQL under a steady stream of orders, with PostgreSQL cut off for 10 s by a TCP proxy in
 * front of it: while it is gone every answer is a 503 (or 504) problem and readiness is down; once it is back the
 * node recovers by itself, clients that retry with their Idempotency-Key get each order placed exactly once, the
 * store holds no order that no client was told about, and every saga ends: shipped, or (when a step met the outage)
 * cancelled with its charge refunded and its stock released.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@DisplayName("PostgreSQL cut for 10 s under load, the packaged node")
class StoreOutagePackagedIT {

  private static final int CLIENTS = 12;
  private static final long OUTAGE_MS = 10_000;
  private static final Set<Integer> RETRIED = Set.of(503, 504);

  private final FreshSchema schema = new FreshSchema("store_outage_it");
  private final Vertx admin = Vertx.vertx();
  private final Pool sql = PgBuilder.pool().connectingTo(schema.options().connectOptions()).using(admin).build();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<JarRun> runs = new ArrayList<>();
  private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> duringOutage = new ConcurrentHashMap<>();
  private final Set<String> problemsWithoutProblemType = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean down = new AtomicBoolean();
  private TcpProxy proxy;
  private int port;

  @TempDir
  Path workDir;

  @AfterEach
  void tearDown() throws IOException {
    try {
      for (JarRun run : runs) {
        run.close();
      }
    } finally {
      if (proxy != null) {
        Futures.await(proxy.close());
      }
      Futures.await(sql.close());
      Futures.await(admin.close());
      schema.drop();
    }
  }

  @Test
  @DisplayName("503 problems while it is gone, recovery without a restart, every order placed once, none made up, every saga settled")
  void outageUnderLoad() throws Exception {
    proxy = Futures.await(TcpProxy.start(admin, "127.0.0.1", 5432));
    port = freePort();
    JarRun node = JarRun.start(workDir, List.of("-Xmx384m"), Map.of(
        "HERALD_HTTP_PORT", String.valueOf(port),
        "HERALD_STORE_POSTGRES_PORT", String.valueOf(proxy.port()),
        "HERALD_STORE_POSTGRES_SCHEMA", schema.options().schema(),
        "HERALD_API_IDEMPOTENCYSTALEMS", "5000"), "--profile", "postgres");
    runs.add(node);
    node.awaitOutput("/health/ready");

    String userId = new JsonObject(send("POST", "/api/users", new JsonObject().put("email", UUID.randomUUID() + "@example.org")
        .put("username", "outage"), null).body()).getString("userId");
    String sku = "OUT-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(send("PUT", "/api/inventory/" + sku, new JsonObject().put("available", 100_000), null).statusCode()).isEqualTo(202);

    Map<String, String> placed = new ConcurrentHashMap<>();   // Idempotency-Key -> the order id its 202 named
    AtomicBoolean placing = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      running.add(clients.submit(() -> placeWhile(placing, userId, sku, placed)));
    }
    Thread.sleep(3_000);
    int beforeCut = placed.size();

    down.set(true);
    proxy.cut();
    Thread.sleep(OUTAGE_MS / 2);
    HttpResponse<String> readyWhileDown = send("GET", "/health/ready", null, null);
    Thread.sleep(OUTAGE_MS / 2);
    int duringCut = placed.size();
    proxy.restore();
    down.set(false);

    awaitUntil("ready again without a restart", 60, () -> send("GET", "/health/ready", null, null).statusCode() == 200);
    int atRestore = placed.size();
    awaitUntil("orders accepted again", 60, () -> placed.size() >= atRestore + 50);
    placing.set(false);
    for (Future<?> client : running) {
      client.get(120, TimeUnit.SECONDS);
    }
    clients.shutdown();
    System.out.printf("PostgreSQL cut for %d ms under load: %d orders placed before, %d during, %d in all;"
        + " answers while down %s; all answers %s%n", OUTAGE_MS, beforeCut, duringCut - beforeCut, placed.size(),
        duringOutage, statuses);

    assertThat(readyWhileDown.statusCode()).as("readiness while PostgreSQL is gone: %s", readyWhileDown.body()).isEqualTo(503);
    assertThat(duringOutage.keySet()).as("statuses while PostgreSQL was gone").isSubsetOf(202, 503, 504);
    assertThat(duringOutage.getOrDefault(503, 0)).as("503 answers while PostgreSQL was gone").isPositive();
    assertThat(statuses.keySet()).as("statuses over the whole run").isSubsetOf(202, 409, 503, 504);
    assertThat(problemsWithoutProblemType).as("error answers that were not problem+json").isEmpty();

    Set<String> orderIds = new HashSet<>(placed.values());
    assertThat(orderIds).as("one order per Idempotency-Key").hasSize(placed.size());
    Set<String> stored = new HashSet<>();
    for (Row row : Futures.await(sql.preparedQuery("SELECT data->>'orderId' FROM " + schema.options().schema()
        + ".events WHERE type = 'order.created' AND data->>'userId' = $1").execute(Tuple.of(userId)))) {
      assertThat(stored.add(row.getString(0))).as("order %s created once", row.getString(0)).isTrue();
    }
    assertThat(stored).as("the orders in the store are exactly those clients were told were placed")
        .containsExactlyInAnyOrderElementsOf(orderIds);
    int shipped = 0;
    List<String> cancelledForOtherReasons = new ArrayList<>();
    for (String orderId : orderIds) {
      String[] status = new String[1];
      awaitUntil("order " + orderId + " shipped or cancelled", 120, () -> {
        status[0] = new JsonObject(send("GET", "/api/orders/" + orderId, null, null).body()).getString("status");
        return "shipped".equals(status[0]) || "cancelled".equals(status[0]);
      });
      if ("shipped".equals(status[0])) {
        shipped++;
        continue;
      }
      // a saga whose step met the outage (a service that could not reach its store, its breaker then open) compensates
      String reason = new JsonObject(sagaOf(orderId)).getString("reason", "");
      if (!reason.contains("unavailable") && !reason.contains("did not answer") && !reason.contains("deadline passed")) {
        cancelledForOtherReasons.add(orderId + ": " + sagaOf(orderId));
      }
    }
    System.out.printf("after the outage: %d of %d orders shipped, the others cancelled and refunded%n", shipped, orderIds.size());
    assertThat(cancelledForOtherReasons).as("valid orders cancelled for anything but the outage").isEmpty();
    assertThat(keptByPayments()).as("what payments kept equals what the shipped orders cost (1.00 each)")
        .isEqualByComparingTo(new java.math.BigDecimal(shipped));
    int shippedUnits = shipped;
    JsonObject[] stock = new JsonObject[1];
    try {
      awaitUntil("the stock accounts for every unit", 60, () -> {
        stock[0] = new JsonObject(send("GET", "/api/inventory/" + sku, null, null).body());
        return stock[0].getInteger("available") + stock[0].getInteger("reserved") == 100_000
            && stock[0].getInteger("reserved") == shippedUnits;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": stock " + stock[0] + ", shipped " + shippedUnits + "; the SKU's stream: "
          + streamOf("inventory-" + sku), e);
    }
  }

  private java.math.BigDecimal keptByPayments() {
    java.math.BigDecimal kept = java.math.BigDecimal.ZERO;
    for (Row row : Futures.await(sql.query("SELECT type, (data->>'amount')::numeric FROM " + schema.options().schema()
        + ".events WHERE type IN ('payment.processed', 'payment.refunded')").execute())) {
      kept = row.getString(0).equals("payment.processed") ? kept.add(row.getBigDecimal(1)) : kept.subtract(row.getBigDecimal(1));
    }
    return kept;
  }

  /** The stream's events by type, and its last one. */
  private String streamOf(String streamId) {
    Map<String, Integer> byType = new java.util.TreeMap<>();
    String last = "";
    for (Row row : Futures.await(sql.preparedQuery("SELECT version, type, data::text FROM " + schema.options().schema()
        + ".events WHERE stream_id = $1 ORDER BY version").execute(Tuple.of(streamId)))) {
      byType.merge(row.getString(1), 1, Integer::sum);
      last = row.getLong(0) + " " + row.getString(1) + " " + row.getString(2);
    }
    return byType + ", last " + last;
  }

  private String sagaOf(String orderId) {
    for (Row row : Futures.await(sql.preparedQuery("SELECT state::text FROM " + schema.options().schema()
        + ".sagas WHERE order_id = $1").execute(Tuple.of(orderId)))) {
      return row.getString(0);
    }
    return "no saga";
  }

  /** One client: places orders one after the other, each retried with its Idempotency-Key until it is placed. */
  private void placeWhile(AtomicBoolean placing, String userId, String sku, Map<String, String> placed) {
    JsonObject order = new JsonObject().put("userId", userId)
        .put("items", new JsonArray().add(new JsonObject().put("sku", sku).put("quantity", 1).put("unitPrice", "1.00")))
        .put("shippingAddress", new JsonObject().put("street", "1 Outage Road").put("city", "Herald")
            .put("postalCode", "10115").put("country", "DE"))
        .put("payment", new JsonObject().put("token", "tok_visa"));
    try {
      while (placing.get()) {
        String key = UUID.randomUUID().toString();
        while (true) {
          boolean wasDown = down.get();
          HttpResponse<String> r = send("POST", "/api/orders", order, key);
          statuses.merge(r.statusCode(), 1, Integer::sum);
          if (wasDown && down.get()) {
            duringOutage.merge(r.statusCode(), 1, Integer::sum);
          }
          if (r.statusCode() != 202 && !r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            problemsWithoutProblemType.add(r.statusCode() + " " + r.body());
          }
          if (r.statusCode() == 202) {
            placed.put(key, new JsonObject(r.body()).getString("orderId"));
            break;
          }
          // unavailable, timed out (outcome unknown), or (409) an earlier try of this key still being settled
          assertThat(RETRIED.contains(r.statusCode()) || r.statusCode() == 409 && r.body().contains("retry later"))
              .as("POST /api/orders answered %d: %s", r.statusCode(), r.body()).isTrue();
          Thread.sleep(200);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpResponse<String> send(String method, String path, JsonObject body, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + JarRun.token());
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + ": no answer (the node must answer, never hang or drop): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
