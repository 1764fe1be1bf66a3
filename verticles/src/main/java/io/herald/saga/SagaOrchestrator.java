package io.herald.saga;

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

  public SagaOrchestrator(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  @Override
  public Future<?> start() {
    SagaConfig config = ctx.config().saga();
    breakers = new BreakerRegistry(vertx, config.breaker(), StepFailures::answered);
    metrics = new SagaMetrics(vertx, ctx);
    metrics.start(breakers);
    engine = new SagaEngine(vertx, ctx.sagas(), breakers, new OrderSagaSteps(ctx.commands(), config.stepTimeoutMs()).steps(),
        config.engine(), new SagaFailures(StepFailures::refusal, StepFailures::didNothing, StepFailures::busy));
    starter = new SagaStarter(ctx.store(), config.checkpointName(), engine, config.engine().deadlineMs(),
        ctx.config().projections().checkpointIntervalMs());
    return new SagaQueries(ctx.sagas(), breakers::describe).listen(vertx)
        .compose(v -> engine.resumeUnfinished())
        .compose(v -> starter.start());
  }

  @Override
  public Future<?> stop() {
    metrics.stop();
    engine.stop();
    return starter.stop().eventually(() -> {
      breakers.close();
      return Future.succeededFuture();
    });
  }
}
