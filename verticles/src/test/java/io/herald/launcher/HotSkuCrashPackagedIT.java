package io.herald.launcher;

import static io.herald.launcher.ProcessTests.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flash sale through a kill -9: herald.jar on PostgreSQL takes a burst of orders for one SKU from 32 clients, is
 * killed with SIGKILL in the middle of it, and a new process on the same store takes the rest. Every order that was
 * accepted (202) ends as its card says: shipped for a valid card, cancelled for a declined one; no saga is left
 * moving and no unit is lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@DisplayName("A hot-SKU burst across a kill -9 of the packaged node")
class HotSkuCrashPackagedIT {

  private static final int ORDERS = 2_000;
  private static final int UNITS = 2_500;
  private static final int CLIENTS = 32;

  private final String schema = "hot_sku_crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path workDir;

  @AfterAll
  void dropSchema() throws Exception {
    Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
        "DROP SCHEMA IF EXISTS " + schema + " CASCADE").redirectErrorStream(true).start();
    psql.waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("2,000 orders on one SKU, the node killed mid-burst and restarted: every accepted valid-card order ships")
  void burstAcrossKill() throws Exception {
    int port = freePort();
    String userId;
    String sku = "HOT-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> accepted = new ConcurrentHashMap<>();   // orderId -> token
    AtomicInteger next = new AtomicInteger();

    try (JarRun first = node(port)) {
      first.awaitOutput("/health/ready");
      userId = post(port, "/api/users", new JsonObject().put("email", sku.toLowerCase() + "@example.org")
          .put("username", sku.toLowerCase())).getString("userId");
      call(port, "PUT", "/api/inventory/" + sku, new JsonObject().put("available", UNITS));

      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        running.add(clients.submit(() -> placeUntilRefused(port, userId, sku, next, accepted)));
      }
      awaitUntil("part of the burst is accepted", () -> accepted.size() >= ORDERS / 3);
      first.process.destroyForcibly();                 // SIGKILL: no shutdown hook, nothing saved on the way out
      assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      for (Future<?> client : running) {
        client.get(60, TimeUnit.SECONDS);
      }
      clients.shutdown();
    }
    int beforeKill = accepted.size();

    try (JarRun second = node(port)) {
      second.awaitOutput("/health/ready");
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        running.add(clients.submit(() -> placeUntilRefused(port, userId, sku, next, accepted)));
      }
      for (Future<?> client : running) {
        client.get(120, TimeUnit.SECONDS);
      }
      clients.shutdown();
      System.out.printf("hot SKU across kill -9: %d orders accepted before the kill, %d in all%n", beforeKill, accepted.size());

      awaitUntil("no saga is left moving", () -> get(port, "/api/sagas?status=running&limit=1").getJsonArray("sagas").isEmpty()
          && get(port, "/api/sagas?status=compensating&limit=1").getJsonArray("sagas").isEmpty());
      // the orders read model may still be catching up from its checkpoint: read at the store's head
      long caughtUp = head(port);
      int shipped = 0;
      for (Map.Entry<String, String> order : accepted.entrySet()) {
        String status = awaitStatus(port, order.getKey(), caughtUp);
        String expected = order.getValue().equals("tok_decline") ? "cancelled" : "shipped";
        assertThat(status).as("order %s paid with %s", order.getKey(), order.getValue()).isEqualTo(expected);
        shipped += expected.equals("shipped") ? 1 : 0;
      }
      JsonObject stock = get(port, "/api/inventory/" + sku + "?minPosition=" + head(port));
      assertThat(stock.getInteger("available") + stock.getInteger("reserved")).as("no unit lost or made up").isEqualTo(UNITS);
      assertThat(stock.getInteger("reserved")).as("units of shipped orders (orders whose answer the kill cut count too)")
          .isGreaterThanOrEqualTo(shipped);
    }
  }

  /** One client: places orders until the burst is done or the node stops answering; every fifth card declined. */
  private void placeUntilRefused(int port, String userId, String sku, AtomicInteger next, Map<String, String> accepted) {
    while (true) {
      int n = next.getAndIncrement();
      if (n >= ORDERS) {
        return;
      }
      String token = n % 5 == 4 ? "tok_decline" : "tok_visa";
      JsonObject body = new JsonObject().put("userId", userId)
          .put("items", new JsonArray().add(new JsonObject().put("sku", sku).put("quantity", 1).put("unitPrice", "3.50")))
          .put("shippingAddress", new JsonObject().put("street", "1 Sale Street").put("city", "Herald")
              .put("postalCode", "10115").put("country", "DE"))
          .put("payment", new JsonObject().put("token", token));
      try {
        while (true) {
          HttpResponse<String> r = send(port, "POST", "/api/orders", body);
          if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
            Thread.sleep(1_000L * Long.parseLong(r.headers().firstValue("Retry-After").get()));
            continue;
          }
          assertThat(r.statusCode()).as("POST /api/orders: %s", r.body()).isEqualTo(202);
          accepted.put(new JsonObject(r.body()).getString("orderId"), token);
          break;
        }
      } catch (java.io.IOException e) {
        next.decrementAndGet();   // the node died under this request: its outcome is unknown; not counted
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private JarRun node(int port) throws java.io.IOException {
    return JarRun.start(workDir, Map.of(
        "HERALD_HTTP_PORT", String.valueOf(port),
        "HERALD_STORE_POSTGRES_SCHEMA", schema), "--profile", "postgres");
  }

  /** The order's status once shipped or cancelled, read no earlier than {@code minPosition}; other answers are waited out. */
  private String awaitStatus(int port, String orderId, long minPosition) throws Exception {
    String path = "/api/orders/" + orderId + "?minPosition=" + minPosition;
    String[] last = new String[1];
    try {
      awaitUntil("order " + orderId + " is shipped or cancelled", () -> {
        HttpResponse<String> r = sendQuietly(port, path);
        last[0] = r == null ? "no answer" : r.statusCode() + " " + r.body();
        String status = r != null && r.statusCode() == 200 ? new JsonObject(r.body()).getString("status") : null;
        return "shipped".equals(status) || "cancelled".equals(status);
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last answer to GET " + path + ": " + last[0], e);
    }
    return new JsonObject(last[0].substring(last[0].indexOf(' ') + 1)).getString("status");
  }

  private HttpResponse<String> sendQuietly(int port, String path) {
    try {
      return send(port, "GET", path, null);
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private long head(int port) {
    long from = 1;
    long last = 0;
    while (true) {
      JsonObject page = get(port, "/api/events?from=" + from + "&limit=1000");
      JsonArray events = page.getJsonArray("events");
      if (events.isEmpty()) {
        return last;
      }
      last = events.getJsonObject(events.size() - 1).getLong("position");
      from = page.getLong("next");
    }
  }

  private JsonObject get(int port, String path) {
    try {
      HttpResponse<String> r = send(port, "GET", path, null);
      assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
      return new JsonObject(r.body());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed", e);
    }
  }

  private JsonObject post(int port, String path, JsonObject body) throws Exception {
    return call(port, "POST", path, body);
  }

  private JsonObject call(int port, String method, String path, JsonObject body) throws Exception {
    HttpResponse<String> r = send(port, method, path, body);
    assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(202);
    return new JsonObject(r.body());
  }

  private HttpResponse<String> send(int port, String method, String path, JsonObject body) throws java.io.IOException,
      InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + JarRun.token());
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitUntil(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    ProcessTests.awaitUntil(what, 120, condition);
  }
}
