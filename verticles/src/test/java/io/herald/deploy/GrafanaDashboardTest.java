package io.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard's queries: what the metric-name reader makes of PromQL, and what the dashboard shows. */
@DisplayName("Grafana dashboard queries")
class GrafanaDashboardTest {

  @Test
  @DisplayName("the reader finds selected metrics and skips functions, labels, ranges, numbers and variables")
  void readsMetricNames() {
    assertThat(PromQlMetricNames.of("histogram_quantile(0.99, sum by (le, consumer) "
        + "(rate(event_processing_seconds_bucket{consumer!~\"a|b\", le=\"+Inf\"}[$__rate_interval])))"))
        .containsExactly("event_processing_seconds_bucket");
    assertThat(PromQlMetricNames.of("sum(rate(a_sum[5m])) / ignoring(le) sum(rate(a_count[1m] offset 1h)) > 1e3"))
        .containsExactly("a_sum", "a_count");
    assertThat(PromQlMetricNames.of("sum(dead_letters_total) or vector(0)")).containsExactly("dead_letters_total");
    assertThat(PromQlMetricNames.of("max by (node) (relay_lag_events) and on(node) up == bool 1"))
        .containsExactly("relay_lag_events", "up");
    assertThat(PromQlMetricNames.of("sum without (instance) (sagas{status=~\"$status\"})")).containsExactly("sagas");
  }

  @Test
  @DisplayName("the dashboard shows throughput, lag, dead letters, sagas, circuit breakers and latency")
  void coversEveryArea() {
    JsonObject dashboard = new JsonObject(DeployFiles.read(DeployFiles.root().resolve(DeployFiles.DASHBOARD)));
    List<String> exprs = PromQlMetricNames.expressions(dashboard);
    Set<String> names = new LinkedHashSet<>();
    exprs.forEach(e -> names.addAll(PromQlMetricNames.of(e)));
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
    assertThat(names).contains(
        "events_published_total", "events_consumed_total",                          // throughput
        "relay_lag_events", "consumer_lag_events", "projection_lag_events",         // lag
        "dead_letters_total", "sagas", "circuit_breaker_state",                     // dead letters, sagas, breakers
        "event_processing_seconds_bucket", "vertx_http_server_response_time_seconds_sum"); // latency
  }
}
