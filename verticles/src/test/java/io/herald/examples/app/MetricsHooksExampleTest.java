package io.herald.examples.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metrics.HeraldMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("docs sample: a component's own gauges in the Prometheus text")
class MetricsHooksExampleTest {

  @Test
  @DisplayName("saga counts and the breaker's state reach /metrics' text as sagas{status} and circuit_breaker_state{name}")
  void hooksShowInPrometheusText() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HeraldMetrics metrics = new HeraldMetrics(registry);
    MetricsHooksExample example = new MetricsHooksExample();

    example.register(metrics);
    metrics.sample();
    example.paymentBreaker.set(HeraldMetrics.BREAKER_OPEN);

    String text = registry.scrape();
    assertThat(text).contains("sagas{status=\"running\"} 3.0", "sagas{status=\"completed\"} 12.0");
    assertThat(text).contains("circuit_breaker_state{name=\"payment\"} 2.0");
  }
}
