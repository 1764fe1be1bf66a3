package io.herald.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.launcher.config.ConfigLoader;
import io.herald.launcher.config.LoadedConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole node in this JVM, embedded mode, on a free port, exercised over real HTTP. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
@DisplayName("An embedded node")
class EmbeddedNodeIT {

  private static HeraldNode node;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    LoadedConfig loaded = new ConfigLoader(vertx, Map.of("HERALD_HTTP_PORT", "0"), Map.of()).load(List.of(), null).await();
    node = HeraldNode.start(loaded.typed(), loaded.layers(), ServiceCatalogue.standard()).await();
    // the banner's token, with every scope: the readiness detail needs admin
    client = WebClientSession.create(WebClient.create(vertx))
        .addHeader("Authorization", "Bearer " + node.developmentToken().orElseThrow());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.stop().await(10, TimeUnit.SECONDS);
    }
  }

  static JsonObject check(JsonObject report, String name) {
    return report.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> name.equals(c.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no check named " + name + " in " + report));
  }

  private static HttpResponse<Buffer> get(String path) {
    return client.get(node.httpPort(), "127.0.0.1", path).send().await();
  }

  @Test
  @DisplayName("binds a free port for http.port 0 and shows that port in the banner")
  void banner() {
    String base = "http://127.0.0.1:" + node.httpPort();

    assertThat(node.httpPort()).isPositive();
    assertThat(node.banner())
        .contains("mode      embedded", "profiles  default", "broker    eventbus",
            "services  user, inventory, payment, shipping, order, notification, analytics, audit, saga, relay, gateway")
        .contains(base + "/api", base + "/health/live", base + "/health/ready", base + "/metrics")
        .contains("events live only in memory");
  }

  @Test
  @DisplayName("answers /health/live with 200 UP")
  void live() {
    HttpResponse<Buffer> response = get("/health/live");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
  }

  @Test
  @DisplayName("answers /health/ready with 200 UP, including the store and the services")
  void ready() {
    HttpResponse<Buffer> response = get("/health/ready");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    JsonObject store = body.getJsonArray("checks").getJsonObject(0);
    assertThat(store.getString("name")).isEqualTo("store");
    assertThat(store.getString("status")).isEqualTo("UP");
    assertThat(store.getString("store")).startsWith("memory");
    assertThat(check(body, "services"))
        .isEqualTo(new JsonObject().put("name", "services").put("status", "UP").put("services", new JsonArray(List.of("user",
            "inventory", "payment", "shipping", "order", "notification", "analytics", "audit", "saga", "relay", "gateway"))));
    assertThat(check(body, "broker").getString("status")).isEqualTo("UP");
    assertThat(check(body, "relay").getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("exposes Vert.x and JVM series on /metrics in the Prometheus text format")
  void metrics() {
    get("/health/live");

    HttpResponse<Buffer> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(response.bodyAsString()).contains("vertx_http_server_requests_total", "jvm_memory_used_bytes").containsPattern("(?m)^vertx_");
  }

  @Test
  @DisplayName("answers an unknown route with a 404 problem+json document")
  void unknownRoute() {
    HttpResponse<Buffer> response = get("/nope");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("title")).isEqualTo("Not Found");
  }

  @Test
  @DisplayName("serves the API index under /api")
  void api() {
    HttpResponse<Buffer> response = get("/api");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("name")).isEqualTo("herald");
  }
}
