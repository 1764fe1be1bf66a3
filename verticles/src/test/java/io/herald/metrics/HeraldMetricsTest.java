package io.herald.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.delivery.DeliveryListener;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Herald's metrics in Prometheus form")
class HeraldMetricsTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HeraldMetrics metrics = new HeraldMetrics(registry);
  private final EventFactory events = new EventFactory(BlueprintEvents.registry(), "/test/metrics");

  private RecordedEvent user(long position) {
    return new RecordedEvent(position, "user-u" + position,
        events.create(new UserRegistered("u" + position, "u" + position + "@example.org", "u" + position)));
  }

  @Test
  @DisplayName("published, consumed, processing time, dead letters and consumer lag carry the names and labels of the issue")
  void counters() {
    DeliveryListener delivery = metrics.deliveryListener();
    delivery.subscribed("notification", List.of("user.*"));
    metrics.publishListener().published(List.of(user(1), user(2), user(3)));
    delivery.handled("notification", user(1), TimeUnit.MILLISECONDS.toNanos(30));
    delivery.deadLettered("notification", "user.registered");

    String text = registry.scrape();
    assertThat(text).contains("events_published_total{event_type=\"user.registered\"} 3.0");
    assertThat(text).contains("events_consumed_total{consumer=\"notification\",event_type=\"user.registered\"} 1.0");
    assertThat(text).contains("# TYPE event_processing_seconds histogram");
    assertThat(text).contains("event_processing_seconds_bucket{consumer=\"notification\",event_type=\"user.registered\",le=\"0.05\"} 1");
    assertThat(text).contains("event_processing_seconds_bucket{consumer=\"notification\",event_type=\"user.registered\",le=\"0.025\"} 0");
    assertThat(text).contains("dead_letters_total{consumer=\"notification\",event_type=\"user.registered\"} 1.0");
    assertThat(text).contains("consumer_lag_events{consumer=\"notification\"} 1.0"); // 3 published, 2 settled
    assertThat(text).contains("relay_lag_events NaN");
  }

  @Test
  @DisplayName("the saga and breaker hooks show sagas by status and each breaker's state")
  void hooks() {
    AtomicInteger state = new AtomicInteger(HeraldMetrics.BREAKER_CLOSED);
    metrics.breakerState("inventory", state::get);
    metrics.sagaStatusGauge(() -> Map.of("running", 2L, "completed", 5L));
    metrics.relayLag(() -> Future.succeededFuture(7L));
    metrics.sample();
    state.set(HeraldMetrics.BREAKER_OPEN);

    String text = registry.scrape();
    assertThat(text).contains("circuit_breaker_state{name=\"inventory\"} 2.0");
    assertThat(text).contains("sagas{status=\"running\"} 2.0", "sagas{status=\"completed\"} 5.0");
    assertThat(text).contains("relay_lag_events 7.0");
  }
}
