package io.herald.ordersaga;

import io.herald.async.Backoff;
import io.herald.service.ServiceContext;
import io.herald.service.config.SagaConfig;
import io.herald.projection.ProjectionRunner;
import io.herald.saga.BreakerRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Objects;

/**
 * The saga service of the choreographed order saga ({@code saga.mode: choreography}). The services drive the
 * saga themselves, reacting to each other's events; this service only keeps its record and its deadline: a
 * projection over the store writes each saga into the {@link io.herald.saga.SagaStore} ({@link SagaRecordProjection}, checkpoint
 * {@code saga.checkpointName}), a {@link DeadlineSweeper} settles the sagas past their deadline, and the saga
 * queries answer as in the orchestrated mode.
 */
public final class SagaChoreography extends VerticleBase {

  private final ServiceContext ctx;
  private BreakerRegistry breakers;
  private SagaMetrics metrics;
  private SagaRecordProjection record;
  private ProjectionRunner projection;
  private DeadlineSweeper sweeper;

  public SagaChoreography(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  @Override
  public Future<?> start() {
    SagaConfig config = ctx.config().saga();
    Backoff backoff = new Backoff(config.engine().compensationRetryBaseMs(), config.engine().compensationRetryCapMs());
    breakers = new BreakerRegistry(vertx, config.breaker(), StepFailures::answered);
    metrics = new SagaMetrics(vertx, ctx);
    metrics.start(breakers);
    record = new SagaRecordProjection(vertx, ctx.sagas(), config.engine().deadlineMs(), backoff);
    projection = new ProjectionRunner(vertx, ctx.store(), ctx.checkpoints(), config.checkpointName(), record,
        ctx.config().projections());
    sweeper = new DeadlineSweeper(vertx, ctx.sagas(), breakers, ctx.commands(), config.stepTimeoutMs(),
        config.sweepIntervalMs(), backoff);
    ctx.projections().register(projection);
    return new SagaQueries(ctx.sagas(), breakers::describe).listen(vertx)
        .compose(v -> projection.start())
        .onSuccess(v -> sweeper.start())
        .onFailure(err -> ctx.projections().unregister(projection.name()));
  }

  @Override
  public Future<?> stop() {
    metrics.stop();
    sweeper.stop();
    record.stop();
    return projection.stop().eventually(() -> {
      ctx.projections().unregister(projection.name());
      breakers.close();
      return Future.succeededFuture();
    });
  }
}
