package io.herald.broker.support;

import io.herald.async.OnContext;
import io.herald.broker.BrokerUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle every adapter shares: created, starting, started, closed. A start may be tried again after it
 * failed, a second start while one runs is refused, a closed broker never starts again, and everything fails with
 * the same {@link BrokerUnavailableException} when the broker is not started. Thread-safe.
 */
public final class BrokerState {

  private static final Logger log = LoggerFactory.getLogger(BrokerState.class);

  private enum Phase { CREATED, STARTING, STARTED, CLOSED }

  private final Supplier<String> name;
  private volatile Phase phase = Phase.CREATED;

  /** @param name the broker's name, for error messages */
  public BrokerState(Supplier<String> name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * The {@code start()} of an adapter, on the broker's {@code context}: at most one at a time, again after a failure,
   * never after close. {@code open} does the adapter's own work (connect, check, register); when it fails, or the
   * broker was closed before it finished, {@code undo} releases what it opened. {@code onStarted} runs once started
   * (timers, watchdogs).
   *
   * @return completes on the caller's context; fails with {@link BrokerUnavailableException}
   */
  public Future<Void> start(Context context, Supplier<Future<Void>> open, Runnable undo, Runnable onStarted) {
    Context caller = Vertx.currentContext();
    Promise<Void> outcome = Promise.promise();
    OnContext.run(context, () -> {
      Future<Void> already = beginStart();
      if (already != null) {
        already.onComplete(outcome);
        return;
      }
      Future<Void> opened;
      try {
        opened = open.get();
      } catch (RuntimeException e) {
        opened = Future.failedFuture(e);
      }
      opened.onComplete(ar -> OnContext.run(context, () -> {
        if (ar.succeeded() && started()) {
          onStarted.run();
          log.info("broker '{}' started", name.get());
          outcome.complete();
          return;
        }
        if (ar.failed()) {
          startFailed();
        }
        undo.run();
        outcome.fail(ar.succeeded()
            ? new BrokerUnavailableException("broker '" + name.get() + "' was closed while starting")
            : ar.cause() instanceof BrokerUnavailableException ? ar.cause()
            : new BrokerUnavailableException("broker '" + name.get() + "' could not start: " + ar.cause().getMessage(),
                ar.cause()));
      }));
    });
    return OnContext.of(caller, outcome.future());
  }

  /**
   * Moves a created broker to starting.
   *
   * @return null when the caller now starts the broker; otherwise what {@code start()} returns at once: success when
   *     already started, a failure when closed or already starting
   */
  public synchronized Future<Void> beginStart() {
    return switch (phase) {
      case CREATED -> {
        phase = Phase.STARTING;
        yield null;
      }
      case STARTED -> Future.succeededFuture();
      case CLOSED -> Future.failedFuture(unavailable());
      case STARTING -> Future.failedFuture(new IllegalStateException("broker '" + name.get() + "' is already starting"));
    };
  }

  /** @return true when the start completed (starting → started), false when the broker was closed meanwhile */
  public synchronized boolean started() {
    if (phase != Phase.STARTING) {
      return false;
    }
    phase = Phase.STARTED;
    return true;
  }

  /** A start failed: back to created, unless closed meanwhile, so that it may be tried again. */
  public synchronized void startFailed() {
    if (phase == Phase.STARTING) {
      phase = Phase.CREATED;
    }
  }

  /** @return false when the broker was already closed, true when this call closed it */
  public synchronized boolean close() {
    if (phase == Phase.CLOSED) {
      return false;
    }
    phase = Phase.CLOSED;
    return true;
  }

  /** @return the phase's name, for logs: CREATED, STARTING, STARTED or CLOSED */
  public String phase() {
    return phase.name();
  }

  public boolean isStarted() {
    return phase == Phase.STARTED;
  }

  public boolean isStarting() {
    return phase == Phase.STARTING;
  }

  public boolean isClosed() {
    return phase == Phase.CLOSED;
  }

  /** @return the failure of anything asked of a broker that is not started: it says whether it is closed */
  public BrokerUnavailableException unavailable() {
    return new BrokerUnavailableException("broker '" + name.get() + "' is " + (isClosed() ? "closed" : "not started"));
  }
}
