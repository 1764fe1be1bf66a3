package io.herald.saga;

import io.herald.contract.QueueDepths;
import io.herald.launcher.ServiceContext;
import io.herald.launcher.config.SagaConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Objects;

/**
 * The orchestrated order saga (service {@code saga}, {@code saga.mode: orchestration}): resumes every unfinished
 * saga it finds stored, then starts one for each new {@code order.created} and runs it through the
 * {@link SagaEngine}, one circuit breaker per service it calls.
 */
public final class SagaOrchestrator extends VerticleBase {

  private final ServiceContext ctx;
  private BreakerRegistry breakers;
  private SagaMetrics metrics;
  private SagaEngine engine;
  private SagaStarter starter;
  private QueueDepths.Reporter depth;

  public SagaOrchestrator(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  @Override
  public Future<?> start() {
    SagaConfig config = ctx.config().saga();
    breakers = new BreakerRegistry(vertx, config.breaker(), StepFailures::refusal);
    metrics = new SagaMetrics(vertx, ctx);
    metrics.start(breakers);
    engine = new SagaEngine(vertx, ctx.sagas(), breakers, new OrderSagaSteps(ctx.commands(), config.stepTimeoutMs()).steps(),
        config.engine(), StepFailures::didNothing);
    starter = new SagaStarter(ctx.store(), config.checkpointName(), engine, config.engine().deadlineMs(),
        ctx.config().projections().checkpointIntervalMs());
    return new SagaQueries(ctx.sagas(), breakers::describe).listen(vertx)
        .compose(v -> engine.resumeUnfinished())
        .compose(v -> starter.start())
        .onSuccess(v -> depth = QueueDepths.report(vertx, ctx.metrics(), "saga", engine::inFlight,
            ctx.config().backpressure().reportIntervalMs()));
  }

  @Override
  public Future<?> stop() {
    if (depth != null) {
      depth.close();
    }
    metrics.stop();
    engine.stop();
    return starter.stop().eventually(() -> {
      breakers.close();
      return Future.succeededFuture();
    });
  }
}
