package io.herald.launcher;

import static io.herald.launcher.PackagedApi.accepted;
import static io.herald.launcher.PackagedApi.eventually;
import static io.herald.launcher.PackagedApi.head;
import static io.herald.launcher.PackagedApi.ok;
import static io.herald.launcher.PackagedApi.order;
import static io.herald.launcher.PackagedApi.unique;
import static io.herald.launcher.ProcessTests.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.pg.FreshSchema;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole platform as {@code herald.jar} on PostgreSQL, killed with SIGKILL while the sagas of the orders it just
 * accepted are under way (no shutdown hook, nothing flushed or checkpointed), then started again on the same schema:
 * every accepted order ends shipped or cancelled, never pending, and the read models account for every event stored.
 * The in-process twin, where Vert.x is closed under the services, is {@code PostgresSagaCrashIT}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@DisplayName("Sagas across a kill -9 of the packaged node, on PostgreSQL")
class SagaKillPackagedIT {

  private static final int ORDERS = 60;
  private static final int STOCK = 30;

  private static final Duration WAIT = Duration.ofSeconds(90);

  private final FreshSchema schema = new FreshSchema("saga_kill_it");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<JarRun> runs = new ArrayList<>();
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
      schema.drop();
    }
  }

  @ParameterizedTest(name = "saga.mode {0}")
  @ValueSource(strings = {"orchestration", "choreography"})
  @DisplayName("every order accepted before the kill ends shipped or cancelled after the restart; nothing is lost")
  void killMidSaga(String mode) throws Exception {
    port = freePort();
    JarRun first = node(mode);
    String userId = accepted(post("/api/users", new JsonObject().put("email", unique("kill") + "@example.com")
        .put("username", unique("name")))).getString("userId");
    String sku = unique("SKU");
    accepted(send("PUT", "/api/inventory/" + sku, new JsonObject().put("available", STOCK)));

    String[] tokens = {"tok_visa", "tok_decline", "tok_visa"};
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      sent.add(http.sendAsync(request("POST", "/api/orders", order(userId, sku, tokens[i % 3], "1 Kill Street")),
          HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
    List<String> orderIds = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : sent) {
      orderIds.add(accepted(response.get()).getString("orderId"));
    }

    first.process.destroyForcibly(); // SIGKILL, with the sagas of those orders under way
    assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).as("the node died").isTrue();
    node(mode);

    Map<String, String> outcome = new HashMap<>();
    for (String orderId : orderIds) {
      JsonObject saga = new JsonObject(eventually(() -> get("/api/sagas/saga-" + orderId), r -> r.statusCode() == 200
          && Set.of("completed", "compensated").contains(new JsonObject(r.body()).getString("status")), WAIT).body());
      outcome.put(orderId, saga.getString("status"));
    }
    long head = head(this::get);
    int shipped = 0;
    for (String orderId : orderIds) {
      JsonObject order = ok(get("/api/orders/" + orderId + "?minPosition=" + head));
      String expected = outcome.get(orderId).equals("completed") ? "shipped" : "cancelled";
      assertThat(order.getString("status")).as("order %s (saga %s)", orderId, outcome.get(orderId)).isEqualTo(expected);
      List<String> types = streamTypes("order-" + orderId);
      assertThat(types).as("the events of order %s", orderId).first().isEqualTo("order.created");
      assertThat(types).as("the events of order %s", orderId).contains("order." + expected);
      shipped += expected.equals("shipped") ? 1 : 0;
    }
    assertThat(shipped).as("orders shipped").isPositive();
    // the inventory read model saw every reservation and release stored, before and after the kill
    JsonObject stock = ok(get("/api/inventory/" + sku + "?minPosition=" + head));
    assertThat(stock.getInteger("reserved")).as("stock reserved for shipped orders").isEqualTo(shipped);
    assertThat(stock.getInteger("available") + shipped).as("stock available plus shipped").isEqualTo(STOCK);
  }

  private JarRun node(String mode) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "HERALD_HTTP_PORT", String.valueOf(port),
        "HERALD_STORE_POSTGRES_SCHEMA", schema.options().schema(),
        "HERALD_SAGA_MODE", mode,
        "HERALD_PAYMENT_TIMEOUTMS", "3000"));
    if (mode.equals("choreography")) {
      // the embedded broker loses what it held at the kill: the deadline settles those sagas, well within the wait
      env.put("HERALD_SAGA_DEADLINEMS", "10000");
    }
    JarRun run = JarRun.start(workDir, env, "--profile", "postgres");
    runs.add(run);
    run.awaitOutput("/health/ready");
    eventually(() -> get("/health/ready"), r -> r.statusCode() == 200, WAIT);
    return run;
  }

  // ---- HTTP, blocking the test thread

  private HttpRequest request(String method, String path, JsonObject body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + JarRun.token());
    if (body == null) {
      return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
    return builder.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build();
  }

  private HttpResponse<String> send(String method, String path, JsonObject body) {
    try {
      return http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private HttpResponse<String> post(String path, JsonObject body) {
    return send("POST", path, body);
  }

  private HttpResponse<String> get(String path) {
    return send("GET", path, null);
  }

  private List<String> streamTypes(String streamId) {
    return ok(get("/api/streams/" + streamId + "/events")).getJsonArray("events").stream()
        .map(e -> ((JsonObject) e).getString("type")).toList();
  }
}
