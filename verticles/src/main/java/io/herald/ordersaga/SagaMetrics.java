package io.herald.ordersaga;

import io.herald.service.ServiceContext;
import io.herald.metrics.HeraldMetrics;
import io.herald.saga.BreakerRegistry;
import io.herald.saga.SagaEngine;
import io.herald.saga.SagaStatus;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The saga service's metrics: {@code circuit_breaker_state{name}} for the breakers of each service the sagas call
 * (forward calls under the service's name, compensations under {@code <service>.compensation}),
 * and {@code sagas{status}}, counted in the saga store every {@code metrics.sampleIntervalMs} (the gauge reads the
 * last count, never the database).
 */
final class SagaMetrics {

  private static final List<String> SERVICES = List.of("order", "inventory", "payment", "shipping");

  private final Vertx vertx;
  private final ServiceContext ctx;
  private volatile Map<String, Long> counts = Map.of();
  private long timer = -1;

  SagaMetrics(Vertx vertx, ServiceContext ctx) {
    this.vertx = vertx;
    this.ctx = ctx;
  }

  void start(BreakerRegistry breakers) {
    HeraldMetrics metrics = ctx.metrics();
    for (String service : SERVICES) {
      metrics.breakerState(service, () -> code(breakers.state(service)));
      String compensation = SagaEngine.compensationBreaker(service);
      metrics.breakerState(compensation, () -> code(breakers.state(compensation)));
    }
    metrics.sagaStatusGauge(() -> counts);
    refresh();
    timer = vertx.setPeriodic(ctx.config().metrics().sampleIntervalMs(), t -> refresh());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void refresh() {
    ctx.sagas().countByStatus().onSuccess(found -> {
      Map<String, Long> all = new LinkedHashMap<>();
      for (SagaStatus status : SagaStatus.values()) {
        all.put(status.apiName(), found.getOrDefault(status, 0L));
      }
      counts = all;
    });
  }

  private static int code(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> HeraldMetrics.BREAKER_CLOSED;
      case HALF_OPEN -> HeraldMetrics.BREAKER_HALF_OPEN;
      case OPEN -> HeraldMetrics.BREAKER_OPEN;
    };
  }
}
