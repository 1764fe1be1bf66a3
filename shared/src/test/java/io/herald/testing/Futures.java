package io.herald.testing;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Blocking helpers for test threads (never event loops): wait for a future, its failure, or a condition. */
public final class Futures {

  private static final long TIMEOUT_S = 60;

  private Futures() {
  }

  /** @return the future's result; its failure is rethrown */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + TIMEOUT_S + " s", e);
    }
  }

  /** @return the future's failure; an assertion error when it succeeds */
  public static Throwable failureOf(Future<?> future) {
    try {
      future.await(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + TIMEOUT_S + " s", e);
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected the future to fail, it succeeded with " + future.result());
  }

  /** Polls until the condition holds; an assertion error after 30 s. */
  public static void waitUntil(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not reached within 30 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
