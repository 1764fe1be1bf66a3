package io.herald.lease;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Duty} only while its {@link RoleLease} is held: every process may start one, exactly one works, and
 * when the holder dies or loses its lease another one takes over. The duty is started with the lease's epoch, which
 * its writes carry so that a holder that lost the lease cannot write as the role any more. All state lives on the
 * context the role was created on.
 */
public final class LeasedRole {

  private static final Logger log = LoggerFactory.getLogger(LeasedRole.class);

  /** The singleton work. */
  public interface Duty {
    /** Starts working as the holder of {@code epoch}; a failed future releases the lease and competes again later. */
    Future<Void> start(long epoch);

    /** Stops working (the lease was lost, or the role stops). */
    Future<Void> stop();
  }

  /** What this process does in the role. */
  public enum State {
    /** Waiting for the lease: another process holds it, or the store is unreachable. */
    STANDBY,
    /** Holding the lease and working. */
    ACTIVE,
    /** Stopped. */
    STOPPED
  }

  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final RoleLease lease;
  private final Duty duty;
  private final long retryMs;
  private final Promise<Void> activated = Promise.promise();
  private volatile State state = State.STANDBY;
  private boolean working;
  private boolean stopped;

  /**
   * @param name    the role, for logs
   * @param retryMs how long to wait before competing again after the duty failed to start, in milliseconds
   */
  public LeasedRole(Vertx vertx, String name, RoleLease lease, Duty duty, long retryMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.name = Objects.requireNonNull(name, "name");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.duty = Objects.requireNonNull(duty, "duty");
    this.retryMs = retryMs;
    this.context = vertx.getOrCreateContext();
  }

  /** Starts competing for the lease; completes at once, the duty starts once the lease is held. */
  public Future<Void> start() {
    context.runOnContext(v -> compete());
    return Future.succeededFuture();
  }

  /** @return completes the first time the duty has started as the holder; never while another process holds the role */
  public Future<Void> activated() {
    return activated.future();
  }

  public String name() {
    return name;
  }

  public State state() {
    return state;
  }

  /** @return the epoch of the holding while {@link State#ACTIVE}, otherwise that of the last one */
  public long epoch() {
    return lease.epoch();
  }

  private void compete() {
    if (stopped) {
      return;
    }
    lease.acquire(this::lost).onComplete(acquired -> context.runOnContext(v -> {
      if (acquired.failed() || stopped) {
        return;
      }
      long epoch = lease.epoch();
      working = true;
      duty.start(epoch).onComplete(started -> context.runOnContext(w -> {
        if (started.succeeded()) {
          if (lease.held() && !stopped) {
            state = State.ACTIVE;
            log.info("role '{}' active (epoch {})", name, epoch);
            activated.tryComplete();
          }
        } else {
          log.warn("role '{}' holds the lease but could not start: {}; trying again", name, started.cause().getMessage());
          working = false;
          duty.stop().transform(ar -> lease.release())
              .onComplete(released -> vertx.setTimer(retryMs, t -> compete()));
        }
      }));
    }));
  }

  private void lost(Throwable reason) {
    context.runOnContext(v -> {
      state = State.STANDBY;
      log.warn("role '{}' stops: its lease was lost ({})", name, reason.getMessage());
      boolean wasWorking = working;
      working = false;
      (wasWorking ? duty.stop() : Future.<Void>succeededFuture()).onComplete(ar -> compete());
    });
  }

  /** Stops the duty and gives the lease up. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      state = State.STOPPED;
      boolean wasWorking = working;
      working = false;
      (wasWorking ? duty.stop() : Future.<Void>succeededFuture())
          .transform(ar -> lease.release())
          .onComplete(ar -> done.complete());
    });
    return done.future();
  }
}
