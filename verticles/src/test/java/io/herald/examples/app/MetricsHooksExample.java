package io.herald.examples.app;

import io.herald.metrics.HeraldMetrics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A component reporting its own state through the metrics a service gets from {@code ServiceContext.metrics()} (docs/operations.md). */
final class MetricsHooksExample {

  private final Map<String, Long> sagas = Map.of("running", 3L, "completed", 12L);
  final AtomicInteger paymentBreaker = new AtomicInteger(HeraldMetrics.BREAKER_CLOSED);

  void register(HeraldMetrics metrics) {
    // doc:metrics-hooks
    metrics.sagaStatusGauge(() -> sagaCountsByStatus());              // Map<String, Long>, must not block
    metrics.breakerState("payment", () -> paymentBreaker.get());     // BREAKER_CLOSED, _HALF_OPEN or _OPEN
    // end:metrics-hooks
  }

  private Map<String, Long> sagaCountsByStatus() {
    return sagas;
  }
}
