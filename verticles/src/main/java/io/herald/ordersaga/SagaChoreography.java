package io.herald.ordersaga;

import io.herald.async.Backoff;
import io.herald.service.ServiceContext;
import io.herald.service.config.SagaConfig;
import io.herald.projection.ProjectionRunner;
import io.herald.saga.BreakerRegistry;
import io.herald.saga.SagaStore;
import io.herald.lease.LeasedRole;
import io.herald.service.SingletonRole;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Objects;

/**
 * The saga service of the choreographed order saga ({@code saga.mode: choreography}). The services drive the
 * saga themselves, reacting to each other's events; this service only keeps its record and its deadline: a
 * projection over the store writes each saga into the {@link io.herald.saga.SagaStore} ({@link SagaRecordProjection}, checkpoint
 * {@code saga.checkpointName}), a {@link DeadlineSweeper} settles the sagas past their deadline, and the saga
 * queries answer as in the orchestrated mode.
 *
 * <p>The record and the deadline are a singleton role ({@code saga:<checkpointName>}): deployed on several nodes, the
 * service answers queries on each and keeps the record and sweeps only on the node holding the role, writing sagas
 * fenced by its epoch.
 */
public final class SagaChoreography extends VerticleBase {

  private final ServiceContext ctx;
  private BreakerRegistry breakers;
  private SagaMetrics metrics;
  private Backoff backoff;
  private SagaRecordProjection record;
  private ProjectionRunner projection;
  private DeadlineSweeper sweeper;
  private SingletonRole role;

  public SagaChoreography(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  @Override
  public Future<?> start() {
    SagaConfig config = ctx.config().saga();
    backoff = new Backoff(config.engine().compensationRetryBaseMs(), config.engine().compensationRetryCapMs());
    breakers = new BreakerRegistry(vertx, config.breaker(), StepFailures::answered);
    metrics = new SagaMetrics(vertx, ctx);
    metrics.start(breakers);
    String roleName = "saga:" + config.checkpointName();
    return new SagaQueries(ctx.sagas(), breakers::describe).listen(vertx)
        .compose(v -> SingletonRole.start(ctx, roleName, new LeasedRole.Duty() {
          @Override
          public Future<Void> start(long epoch) {
            return keepRecord(ctx.sagas().fencedBy(ctx.roles().fenceKey(roleName), () -> epoch));
          }

          @Override
          public Future<Void> stop() {
            return stopRecord();
          }
        }))
        .onSuccess(started -> role = started);
  }

  /** The role's duty: the saga record projection and the deadline sweeper, writing sagas through {@code sagas}. */
  private Future<Void> keepRecord(SagaStore sagas) {
    SagaConfig config = ctx.config().saga();
    record = new SagaRecordProjection(vertx, sagas, config.engine().deadlineMs(), backoff);
    projection = new ProjectionRunner(vertx, ctx.store(), ctx.checkpoints(), config.checkpointName(), record,
        ctx.config().projections());
    sweeper = new DeadlineSweeper(vertx, sagas, breakers, ctx.commands(), config.stepTimeoutMs(),
        config.sweepIntervalMs(), backoff);
    ctx.projections().register(projection);
    return projection.start()
        .onSuccess(v -> sweeper.start())
        .onFailure(err -> ctx.projections().unregister(projection.name()));
  }

  private Future<Void> stopRecord() {
    if (projection == null) {
      return Future.succeededFuture();
    }
    ProjectionRunner current = projection;
    projection = null;
    sweeper.stop();
    record.stop();
    return current.stop().eventually(() -> {
      ctx.projections().unregister(current.name());
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<?> stop() {
    metrics.stop();
    return (role == null ? Future.<Void>succeededFuture() : role.stop()).eventually(() -> {
      breakers.close();
      return Future.succeededFuture();
    });
  }
}
