package io.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.gateway.auth.Access;
import io.herald.gateway.auth.AuthOptions;
import io.herald.gateway.auth.Scope;
import io.herald.gateway.auth.Tokens;
import io.herald.health.HealthRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
@DisplayName("Gateway verticle")
class GatewayVerticleTest {

  private HealthRegistry health;
  private WebClient client;
  private Tokens tokens;

  @BeforeEach
  void setUp(Vertx vertx) {
    health = new HealthRegistry(200);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    tokens = Tokens.load(vertx, AuthOptions.defaults().withSecret("gateway-verticle-test-secret-0123456789")).await();
  }

  private int deploy(Vertx vertx, boolean api) {
    GatewayVerticle gateway = new GatewayVerticle(health, Access.required(tokens));
    JsonObject config = new GatewayOptions("127.0.0.1", 0, api, 1_000).toJson();
    vertx.deployVerticle(gateway, new DeploymentOptions().setConfig(config)).await();
    return gateway.actualPort();
  }

  private HttpResponse<Buffer> get(int port, String path) {
    return client.get(port, "127.0.0.1", path).send().await();
  }

  @Test
  @DisplayName("liveness answers UP whatever the checks say")
  void live(Vertx vertx) {
    health.register("store", () -> Future.failedFuture("down"));
    int port = deploy(vertx, false);

    HttpResponse<Buffer> response = get(port, "/health/live");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
  }

  @Test
  @DisplayName("readiness answers 503 DOWN with the failing check's reason")
  void notReady(Vertx vertx) {
    health.register("store", () -> Future.succeededFuture(new JsonObject()));
    health.register("relay", () -> Future.failedFuture("behind by 12 events"));
    int port = deploy(vertx, false);

    HttpResponse<Buffer> response = client.get(port, "127.0.0.1", "/health/ready")
        .bearerTokenAuthentication(tokens.mint(Set.of(Scope.ADMIN), 60, "test")).send().await();

    assertThat(response.statusCode()).isEqualTo(503);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("DOWN");
    assertThat(body.getJsonArray("checks")).contains(
        new JsonObject().put("name", "relay").put("status", "DOWN").put("reason", "behind by 12 events"));
  }

  @Test
  @DisplayName("an unknown route is a 404 problem+json document")
  void unknownRoute(Vertx vertx) {
    int port = deploy(vertx, false);

    HttpResponse<Buffer> response = get(port, "/no/such/thing");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("type", "about:blank").put("title", "Not Found").put("status", 404)
        .put("detail", "no route for GET /no/such/thing").put("instance", "/no/such/thing"));
  }

  @Test
  @DisplayName("without the API only health and metrics are served")
  void managementOnly(Vertx vertx) {
    int port = deploy(vertx, false);

    assertThat(get(port, "/api").statusCode()).isEqualTo(404);
    assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("metrics answer a 503 problem when Vert.x runs without them")
  void metricsDisabled(Vertx vertx) {
    int port = deploy(vertx, false);

    HttpResponse<Buffer> response = get(port, "/metrics");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo("metrics are not enabled on this node");
  }
}
