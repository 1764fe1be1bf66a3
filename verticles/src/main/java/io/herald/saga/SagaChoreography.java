package io.herald.saga;

import io.herald.launcher.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Objects;

/** Placeholder. */
public final class SagaChoreography extends VerticleBase {

  private final ServiceContext ctx;

  public SagaChoreography(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  @Override
  public Future<?> start() {
    return Future.failedFuture("not yet");
  }
}
