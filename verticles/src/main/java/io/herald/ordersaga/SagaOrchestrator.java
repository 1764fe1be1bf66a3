package io.herald.ordersaga;

import io.herald.async.Backoff;
import io.herald.contract.QueueDepths;
import io.herald.service.ServiceContext;
import io.herald.service.config.SagaConfig;
import io.herald.saga.BreakerRegistry;
import io.herald.saga.SagaEngine;
import io.herald.saga.SagaFailures;
import io.herald.saga.SagaStore;
import io.herald.lease.LeasedRole;
import io.herald.service.SingletonRole;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Objects;

/**
 * The orchestrated order saga (service {@code saga}, {@code saga.mode: orchestration}): resumes every unfinished
 * saga it finds stored, then starts one for each new {@code order.created} and runs it through the
 * {@link SagaEngine}, one circuit breaker per service it calls.
 *
 * <p>Resuming and starting sagas is a singleton role ({@code saga:<checkpointName>}): deployed on several nodes, the
 * service answers saga queries on each, and runs sagas only on the node holding the role, writing them fenced by its
 * epoch; when that node dies another one takes the role over and resumes every unfinished saga.
 */
public final class SagaOrchestrator extends VerticleBase {

  /** The readiness check of the saga starter: down while it waits to follow the store again after a failure. */
  public static final String STARTER_CHECK = "saga-starter";

  private final ServiceContext ctx;
  private BreakerRegistry breakers;
  private SagaMetrics metrics;
  private volatile SagaEngine engine;
  private SagaStarter starter;
  private SingletonRole role;
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
    String roleName = "saga:" + config.checkpointName();
    return new SagaQueries(ctx.sagas(), breakers::describe).listen(vertx)
        .compose(v -> SingletonRole.start(ctx, roleName, new LeasedRole.Duty() {
          @Override
          public Future<Void> start(long epoch) {
            return runSagas(roleName, epoch);
          }

          @Override
          public Future<Void> stop() {
            return stopSagas();
          }
        }))
        .onSuccess(started -> {
          role = started;
          depth = QueueDepths.report(vertx, ctx.metrics(), "saga", this::inFlight, ctx.config().backpressure().reportIntervalMs());
        });
  }

  /** The role's duty: resume what is stored unfinished, then start a saga for each new order, writing as {@code epoch}. */
  private Future<Void> runSagas(String roleName, long epoch) {
    SagaConfig config = ctx.config().saga();
    SagaStore sagas = ctx.sagas().fencedBy(ctx.roles().fenceKey(roleName), () -> epoch);
    SagaEngine next = new SagaEngine(vertx, sagas, breakers, new OrderSagaSteps(ctx.commands(), config.stepTimeoutMs()).steps(),
        config.engine(), new SagaFailures(StepFailures::refusal, StepFailures::didNothing, StepFailures::busy));
    SagaStarter nextStarter = new SagaStarter(vertx, ctx.store(), ctx.store().checkpoints(), config.checkpointName(), next,
        config.engine().deadlineMs(), ctx.config().projections().checkpointIntervalMs(),
        new Backoff(config.engine().compensationRetryBaseMs(), config.engine().compensationRetryCapMs()), epoch);
    engine = next;
    starter = nextStarter;
    return next.resumeUnfinished()
        .compose(v -> nextStarter.start())
        .onSuccess(v -> ctx.health().register(STARTER_CHECK, nextStarter::check));
  }

  private Future<Void> stopSagas() {
    ctx.health().unregister(STARTER_CHECK);
    SagaEngine current = engine;
    SagaStarter currentStarter = starter;
    engine = null;
    starter = null;
    if (current != null) {
      current.stop();
    }
    return currentStarter == null ? Future.succeededFuture() : currentStarter.stop();
  }

  private int inFlight() {
    SagaEngine current = engine;
    return current == null ? 0 : current.inFlight();
  }

  @Override
  public Future<?> stop() {
    if (depth != null) {
      depth.close();
    }
    metrics.stop();
    return (role == null ? Future.<Void>succeededFuture() : role.stop()).eventually(() -> {
      breakers.close();
      return Future.succeededFuture();
    });
  }
}
