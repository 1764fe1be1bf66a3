package io.herald.api;

import static io.herald.api.ApiNode.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerSubscription;
import io.herald.event.RecordedEvent;
import io.herald.metrics.HeraldMetrics;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * {@code /metrics} and {@code /health/ready} of a node that has done some work: placed an order, dead-lettered an
 * event, and reported saga and breaker states through the hooks. The Prometheus text must pass {@code promtool}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Metrics and health")
class MetricsApiIT {

  /** Debian's package {@code prometheus} installs it; {@code scripts/test-tools.sh} does so when it is missing. */
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  private ApiNode api;

  @BeforeAll
  void start() {
    api = ApiNode.start(List.of(), Map.of("delivery.maxAttempts", "2", "delivery.retryBaseMs", "10",
        "delivery.retryCapMs", "20", "metrics.sampleIntervalMs", "200"));
  }

  @AfterAll
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  @DisplayName("/metrics shows Herald's counters, lags, sagas and breakers beside Vert.x's own, and passes promtool")
  void prometheusText() throws Exception {
    String group = "crm-" + UUID.randomUUID().toString().substring(0, 8);
    BrokerSubscription failing = Futures.await(api.node().context().consumers().atLeastOnce(group, List.of("user.registered"),
        (RecordedEvent event) -> Future.failedFuture(new IllegalStateException("CRM answered 502"))));
    try {
      ApiNode.User user = api.registerUser();
      ApiNode.Order order = api.placeOrder(user.userId(), "tok_visa");
      api.order(order.orderId(), order.position());
      eventually(() -> api.getOk("/api/dead-letters?consumer=" + group).getJsonArray("deadLetters").size(), n -> n == 1);

      String text = eventually(this::scrape, body -> value(body, "events_consumed_total", "consumer=\"notification\"",
          "event_type=\"user.registered\"") >= 1 && value(body, "sagas", "status=\"compensated\"") >= 1
          && value(body, "dead_letters_total", "consumer=\"" + group + "\"") == 1);

      assertThat(value(text, "events_published_total", "event_type=\"user.registered\"")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "events_published_total", "event_type=\"order.created\"")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "event_processing_seconds_count", "consumer=\"notification\"", "event_type=\"user.registered\""))
          .isGreaterThanOrEqualTo(1);
      assertThat(value(text, "event_processing_seconds_bucket", "consumer=\"notification\"", "event_type=\"user.registered\"",
          "le=\"+Inf\"")).isGreaterThanOrEqualTo(1);
      assertThat(text).contains("# TYPE event_processing_seconds histogram");
      assertThat(value(text, "dead_letters_total", "consumer=\"" + group + "\"", "event_type=\"user.registered\"")).isEqualTo(1);
      assertThat(value(text, "relay_lag_events")).isGreaterThanOrEqualTo(0);
      assertThat(value(text, "consumer_lag_events", "consumer=\"notification\"")).isGreaterThanOrEqualTo(0);
      assertThat(value(text, "projection_lag_events", "projection=\"orders\"")).isGreaterThanOrEqualTo(0);
      // the order's SKU is not stocked: its saga is compensated, and no breaker had a reason to open
      assertThat(value(text, "sagas", "status=\"compensated\"")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "sagas", "status=\"running\"")).isGreaterThanOrEqualTo(0);
      assertThat(value(text, "circuit_breaker_state", "name=\"payment\"")).isEqualTo(HeraldMetrics.BREAKER_CLOSED);
      assertThat(value(text, "feed_clients")).isEqualTo(0);
      assertThat(text).contains("vertx_http_server_requests_total{", "vertx_eventbus_", "vertx_pool_");

      promtool(text);
    } finally {
      Futures.await(failing.close());
    }
  }

  @Test
  @DisplayName("/health/ready has a check per component: store, broker, relay and each projection with its lag")
  void readiness() {
    JsonObject ready = eventually(() -> api.getOk("/health/ready"), r -> "UP".equals(r.getString("status")));
    Map<String, JsonObject> checks = new java.util.HashMap<>();
    ready.getJsonArray("checks").stream().map(JsonObject.class::cast).forEach(c -> checks.put(c.getString("name"), c));
    assertThat(checks).containsKeys("store", "broker", "services", "relay", "projection:orders", "projection:users",
        "projection:audit");
    assertThat(checks.get("relay").getLong("lag")).isNotNull();
    assertThat(checks.get("projection:orders").getString("state")).isEqualTo("live");
    assertThat(checks.get("projection:orders").getLong("lag")).isNotNull();
    assertThat(checks.values()).allMatch(c -> "UP".equals(c.getString("status")));
    assertThat(api.getOk("/health/live").getString("status")).isEqualTo("UP");
  }

  private String scrape() {
    HttpResponse<Buffer> response = api.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    return response.bodyAsString();
  }

  /** The value of the one sample of {@code name} whose labels include all of {@code labels}; -1 when there is none. */
  static double value(String text, String name, String... labels) {
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    while (m.find()) {
      String found = m.group(1) == null ? "" : m.group(1);
      if (List.of(labels).stream().allMatch(found::contains)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }

  /** Runs {@code promtool check metrics} on the text; fails with what it printed unless it exits 0. */
  static void promtool(String text) throws IOException, InterruptedException {
    assertThat(PROMTOOL).as("promtool (Debian package prometheus; run scripts/test-tools.sh)").isExecutable();
    Path out = Files.createTempFile("promtool", ".txt");
    try {
      Process process = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
      assertThat(process.exitValue()).as("promtool check metrics said:%n%s", Files.readString(out)).isZero();
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
