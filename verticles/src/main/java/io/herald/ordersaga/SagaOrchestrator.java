package io.herald.ordersaga;

import io.herald.async.Backoff;
import io.herald.contract.QueueDepths;
import io.herald.service.ServiceContext;
import io.herald.service.config.SagaConfig;
import io.herald.saga.BreakerRegistry;
import io.herald.saga.SagaEngine;
import io.herald.saga.SagaFailures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Objects;

/**
 * The orchestrated order saga (service {@code saga}, {@code saga.mode: orchestration}): resumes every unfinished
 * saga it finds stored, then starts one for each new {@code order.created} and runs it through the
 * {@link SagaEngine}, one circuit breaker per service it calls.
 */
public final class SagaOrchestrator extends VerticleBase {

  /** The readiness check of the saga starter: down while it waits to follow the store again after a failure. */
  public static final String STARTER_CHECK = "saga-starter";

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
    breakers = new BreakerRegistry(vertx, config.breaker(), StepFailures::answered);
    metrics = new SagaMetrics(vertx, ctx);
    metrics.start(breakers);
    engine = new SagaEngine(vertx, ctx.sagas(), breakers, new OrderSagaSteps(ctx.commands(), config.stepTimeoutMs()).steps(),
        config.engine(), new SagaFailures(StepFailures::refusal, StepFailures::didNothing, StepFailures::busy));
    starter = new SagaStarter(vertx, ctx.store(), ctx.store().checkpoints(), config.checkpointName(), engine,
        config.engine().deadlineMs(), ctx.config().projections().checkpointIntervalMs(),
        new Backoff(config.engine().compensationRetryBaseMs(), config.engine().compensationRetryCapMs()));
    return new SagaQueries(ctx.sagas(), breakers::describe).listen(vertx)
        .compose(v -> engine.resumeUnfinished())
        .compose(v -> starter.start())
        .onSuccess(v -> {
          ctx.health().register(STARTER_CHECK, starter::check);
          depth = QueueDepths.report(vertx, ctx.metrics(), "saga", engine::inFlight, ctx.config().backpressure().reportIntervalMs());
        });
  }

  @Override
  public Future<?> stop() {
    ctx.health().unregister(STARTER_CHECK);
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
