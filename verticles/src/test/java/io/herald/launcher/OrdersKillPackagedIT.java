package io.herald.launcher;

import static io.herald.launcher.ProcessTests.awaitUntil;
import static io.herald.launcher.ProcessTests.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.pg.FreshSchema;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * herald.jar on PostgreSQL with Kafka as the broker, killed with SIGKILL while more than a thousand accepted orders
 * are in their sagas, then started again on the same store and topics: no accepted order is lost, none is charged
 * twice (what payments kept equals what shipped orders cost), and every saga ends: shipped, or cancelled for a
 * declined card or for a deadline that passed while no node ran it, never for a service that was only busy. To have that many under way at
 * once, a node without the saga service takes the burst first (killed too), and the whole platform that follows
 * starts all their sagas together.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
@DisplayName("Orders across a kill -9 of the packaged node under load, on PostgreSQL and Kafka")
class OrdersKillPackagedIT {

  private static final int ORDERS = 1_400;
  private static final int IN_FLIGHT_AT_KILL = 1_000;
  private static final int SKUS = 20;
  private static final int UNITS_PER_SKU = 1_000;   // more than the orders need: no order fails for want of stock
  private static final int CLIENTS = 48;
  private static final BigDecimal UNIT_PRICE = new BigDecimal("2.50");

  private final FreshSchema schema = new FreshSchema("orders_kill_it");
  private final String namespace = "kill" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<JarRun> runs = new ArrayList<>();
  private final Vertx admin = Vertx.vertx();
  private final Pool sql = PgBuilder.pool().connectingTo(schema.options().connectOptions()).using(admin).build();
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
      Futures.await(sql.close());
      Futures.await(admin.close());
      schema.drop();
    }
  }

  @Test
  @DisplayName("kill -9 with more than 1,000 orders in flight: after the restart none is lost, none charged twice, every saga ends")
  void killUnderLoad() throws Exception {
    port = freePort();
    Map<String, String> accepted = new ConcurrentHashMap<>();   // orderId -> card token
    AtomicInteger next = new AtomicInteger();
    List<String> skus = new ArrayList<>();
    String userId;

    // a node without the saga service takes the burst: every order it accepts waits for its saga
    JarRun taker = node("--services", WITHOUT_SAGA);
    taker.awaitOutput("/health/ready");
    userId = expect(202, "POST", "/api/users", new JsonObject().put("email", namespace + "@example.org")
        .put("username", namespace)).getString("userId");
    for (int i = 0; i < SKUS; i++) {
      String sku = "KILL-" + namespace + "-" + i;
      expect(202, "PUT", "/api/inventory/" + sku, new JsonObject().put("available", UNITS_PER_SKU));
      skus.add(sku);
    }
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      running.add(clients.submit(() -> placeUntilRefused(userId, skus, next, accepted)));
    }
    for (Future<?> client : running) {
      client.get(180, TimeUnit.SECONDS);
    }
    clients.shutdown();
    kill(taker);

    // the whole platform starts every waiting saga at once, and is killed while they are under way
    JarRun whole = node();
    awaitUntil("the sagas are under way", 120, () -> endedSagas() >= 20);
    kill(whole);
    int ended = endedSagas();
    System.out.printf("kill -9 under load: %d orders accepted, %d of their sagas ended, %d in flight at the kill%n",
        accepted.size(), ended, accepted.size() - ended);
    assertThat(accepted.size() - ended).as("orders in flight at the kill").isGreaterThanOrEqualTo(IN_FLIGHT_AT_KILL);

    node().awaitOutput("/health/ready");
    awaitUntil("every saga ends", 240, () -> endedSagas() >= accepted.size());
    BigDecimal shippedTotal = BigDecimal.ZERO;
    int shipped = 0;
    int pastDeadline = 0;
    for (Map.Entry<String, String> order : accepted.entrySet()) {
      JsonObject view = awaitTerminal(order.getKey());
      String status = view.getString("status");
      if (order.getValue().equals("tok_decline")) {
        assertThat(status).as("order %s with a declined card", order.getKey()).isEqualTo("cancelled");
      } else if (status.equals("shipped")) {
        shipped++;
        shippedTotal = shippedTotal.add(new BigDecimal(view.getString("total")));
      } else {
        // a valid order is cancelled only when its saga deadline passed while no node ran it (saga.deadlineMs)
        JsonObject saga = new JsonObject(sagaOf(order.getKey()));
        assertThat(saga.getString("reason")).as("why valid order %s was cancelled; its saga: %s", order.getKey(), saga)
            .startsWith("saga deadline passed");
        pastDeadline++;
      }
    }
    Map<String, BigDecimal> kept = chargesKeptByOrder();
    BigDecimal charged = kept.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    System.out.printf("after the restart: %d accepted orders, %d shipped for %s, %d valid ones cancelled past their"
        + " deadline, payments kept %s%n", accepted.size(), shipped, shippedTotal, pastDeadline, charged);
    assertThat(charged).as("what payments kept equals what the shipped orders cost").isEqualByComparingTo(shippedTotal);
    kept.forEach((orderId, amount) -> assertThat(amount.signum() == 0 || amount.compareTo(UNIT_PRICE) == 0)
        .as("kept for order %s: %s, nothing or one charge", orderId, amount).isTrue());
    int shippedUnits = shipped;
    awaitUntil("the inventory read model accounts for every unit", 60, () -> {
      List<JsonObject> stock = skus.stream().map(sku -> expect(200, "GET", "/api/inventory/" + sku, null)).toList();
      return stock.stream().allMatch(s -> s.getInteger("available") + s.getInteger("reserved") == UNITS_PER_SKU)
          && stock.stream().mapToInt(s -> s.getInteger("reserved")).sum() == shippedUnits;
    });
  }

  /** One client: places one-unit orders until the burst is done or the node dies; every fifth card is declined. */
  private void placeUntilRefused(String userId, List<String> skus, AtomicInteger next, Map<String, String> accepted) {
    while (true) {
      int n = next.getAndIncrement();
      if (n >= ORDERS) {
        return;
      }
      String card = n % 5 == 4 ? "tok_decline" : "tok_visa";
      JsonObject body = new JsonObject().put("userId", userId)
          .put("items", new JsonArray().add(new JsonObject().put("sku", skus.get(n % skus.size())).put("quantity", 1)
              .put("unitPrice", UNIT_PRICE.toPlainString())))
          .put("shippingAddress", new JsonObject().put("street", "1 Kill Street").put("city", "Herald")
              .put("postalCode", "10115").put("country", "DE"))
          .put("payment", new JsonObject().put("token", card));
      try {
        while (true) {
          HttpResponse<String> r = send("POST", "/api/orders", body);
          if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
            Thread.sleep(1_000L * Long.parseLong(r.headers().firstValue("Retry-After").get()));
            continue;
          }
          assertThat(r.statusCode()).as("POST /api/orders: %s", r.body()).isEqualTo(202);
          accepted.put(new JsonObject(r.body()).getString("orderId"), card);
          break;
        }
      } catch (IOException e) {
        return;   // the node died under this request: its outcome is unknown, so it is not counted
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static final String WITHOUT_SAGA = "gateway,user,order,payment,inventory,shipping,notification,analytics,audit,relay";

  private static void kill(JarRun run) throws InterruptedException {
    run.process.destroyForcibly();                 // SIGKILL: no shutdown hook, nothing saved on the way out
    assertThat(run.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private JarRun node(String... extraArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("--profile", "postgres,kafka"));
    args.addAll(List.of(extraArgs));
    JarRun run = JarRun.start(workDir, List.of("-Xmx512m"), Map.of(
        "HERALD_HTTP_PORT", String.valueOf(port),
        "HERALD_STORE_POSTGRES_SCHEMA", schema.options().schema(),
        "HERALD_BROKER_KAFKA_NAMESPACE", namespace,
        "HERALD_BROKER_KAFKA_SESSIONTIMEOUTMS", "6000"), args.toArray(String[]::new));
    runs.add(run);
    return run;
  }

  // ---- what the store says (the source of truth), read straight from PostgreSQL

  private RowSet<Row> sql(String text) {
    return Futures.await(sql.query(text).execute());
  }

  private int endedSagas() {
    return sql("SELECT count(*) FROM " + schema.options().schema() + ".sagas WHERE status IN ('completed', 'compensated')")
        .iterator().next().getInteger(0);
  }

  private String sagaOf(String orderId) {
    return sql("SELECT state::text FROM " + schema.options().schema() + ".sagas WHERE order_id = '" + orderId + "'")
        .iterator().next().getString(0);
  }

  /** Per order: the amounts of its payment.processed events minus those of its payment.refunded events. */
  private Map<String, BigDecimal> chargesKeptByOrder() {
    Map<String, BigDecimal> kept = new HashMap<>();
    for (Row row : sql("SELECT type, data->>'orderId', (data->>'amount')::numeric FROM " + schema.options().schema()
        + ".events WHERE type IN ('payment.processed', 'payment.refunded')")) {
      BigDecimal amount = row.getBigDecimal(2);
      kept.merge(row.getString(1), row.getString(0).equals("payment.processed") ? amount : amount.negate(), BigDecimal::add);
    }
    return kept;
  }

  // ---- HTTP

  private JsonObject awaitTerminal(String orderId) throws InterruptedException {
    JsonObject[] view = new JsonObject[1];
    awaitUntil("order " + orderId + " is shipped or cancelled", 120, () -> {
      view[0] = expect(200, "GET", "/api/orders/" + orderId, null);
      return "shipped".equals(view[0].getString("status")) || "cancelled".equals(view[0].getString("status"));
    });
    return view[0];
  }

  private JsonObject expect(int status, String method, String path, JsonObject body) {
    try {
      HttpResponse<String> r = send(method, path, body);
      assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(status);
      return new JsonObject(r.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    }
  }

  private HttpResponse<String> send(String method, String path, JsonObject body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + JarRun.token());
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
