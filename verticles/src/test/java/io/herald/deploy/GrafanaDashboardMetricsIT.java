package io.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerSubscription;
import io.herald.event.RecordedEvent;
import io.herald.launcher.HeraldNode;
import io.herald.launcher.ServiceCatalogue;
import io.herald.launcher.config.ConfigLoader;
import io.herald.launcher.config.LoadedConfig;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Every metric the Grafana dashboard queries is one a Herald node exposes on {@code /metrics}: a node started in
 * this JVM the way the launcher starts one does the work that makes each series appear (a user registered, an order
 * whose saga compensates, an event a consumer group dead-letters), then its scrape is compared, name by name, with
 * the names in the dashboard's PromQL. A name matches only as exposed: {@code _bucket}, {@code _count} and
 * {@code _sum} are part of it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Grafana dashboard against a node's /metrics")
class GrafanaDashboardMetricsIT {

  private static final Pattern SAMPLE_NAME = Pattern.compile("^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]", Pattern.MULTILINE);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Vertx loaderVertx;
  private HeraldNode node;

  @BeforeAll
  void start() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("http.port", "0");
    settings.put("delivery.maxAttempts", "2");
    settings.put("delivery.retryBaseMs", "10");
    settings.put("delivery.retryCapMs", "20");
    settings.put("metrics.sampleIntervalMs", "200");
    Map<String, String> properties = new LinkedHashMap<>();
    settings.forEach((key, value) -> properties.put(ConfigLoader.SYSTEM_PROPERTY_PREFIX + key, value));
    loaderVertx = Vertx.vertx();
    LoadedConfig loaded = Futures.await(new ConfigLoader(loaderVertx, Map.of(), properties).load(List.of(), null));
    node = Futures.await(HeraldNode.start(loaded.typed(), loaded.layers(), ServiceCatalogue.standard()));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (node != null) {
        node.stop().await(30, TimeUnit.SECONDS);
      }
    } finally {
      Futures.await(loaderVertx.close());
    }
  }

  @Test
  @DisplayName("each metric name in the dashboard's queries is exposed by /metrics once the node has done some work")
  void dashboardUsesExposedMetrics() throws Exception {
    JsonObject dashboard = new JsonObject(DeployFiles.read(DeployFiles.root().resolve(DeployFiles.DASHBOARD)));
    Set<String> queried = new TreeSet<>();
    PromQlMetricNames.expressions(dashboard).forEach(expr -> queried.addAll(PromQlMetricNames.of(expr)));
    assertThat(queried).as("metric names in the dashboard").isNotEmpty();

    String group = "dashboard-" + UUID.randomUUID().toString().substring(0, 8);
    BrokerSubscription failing = Futures.await(node.context().consumers().atLeastOnce(group, List.of("user.registered"),
        (RecordedEvent event) -> Future.failedFuture(new IllegalStateException("always fails: a dead letter"))));
    try {
      String userId = post("/api/users", new JsonObject().put("email", "u-" + group + "@example.org")
          .put("username", "u-" + group)).getString("userId");
      // an SKU nobody stocked: the saga compensates, so the saga and breaker gauges have something to show
      post("/api/orders", new JsonObject().put("userId", userId)
          .put("items", List.of(new JsonObject().put("sku", "SKU-" + group).put("quantity", 1).put("unitPrice", "10.00")))
          .put("shippingAddress", new JsonObject().put("street", "1 Test Street").put("city", "Testville")
              .put("postalCode", "12345").put("country", "DE"))
          .put("payment", new JsonObject().put("token", "tok_visa")));

      Set<String> exposed = Set.of();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        exposed = exposedNames(scrape());
        if (exposed.containsAll(queried)) {
          break;
        }
        Thread.sleep(200);
      }
      Set<String> missing = new TreeSet<>(queried);
      missing.removeAll(exposed);
      assertThat(missing).as("dashboard metrics /metrics does not expose (it exposes %s)", exposed).isEmpty();
    } finally {
      Futures.await(failing.close());
    }
  }

  /** The sample names of a Prometheus text page (comments skipped). */
  static Set<String> exposedNames(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = SAMPLE_NAME.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private String scrape() throws Exception {
    HttpResponse<String> response = http.send(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
    return response.body();
  }

  private JsonObject post(String path, JsonObject body) throws Exception {
    HttpResponse<String> response = http.send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST %s answered %s", path, response.body()).isEqualTo(202);
    return new JsonObject(response.body());
  }

  private HttpRequest.Builder request(String path) {
    // the banner's token, with every scope (/metrics needs none, the API does)
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + node.developmentToken().orElseThrow());
  }
}
