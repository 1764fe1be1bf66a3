package io.herald.async;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Hands results back to the context that asked for them, so callers never see another thread: an event loop of
 * another context, or a client library's own I/O thread.
 */
public final class OnContext {

  private OnContext() {
  }

  /** @return {@code future}, completed on {@code caller}; the future itself when there is no caller context */
  public static <T> Future<T> of(Context caller, Future<T> future) {
    if (caller == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> complete(caller, promise, result));
    return promise.future();
  }

  /** Completes {@code promise} with {@code result} on {@code target} (directly when already there or when null). */
  public static <T> void complete(Context target, Promise<T> promise, AsyncResult<T> result) {
    if (target == null || Vertx.currentContext() == target) {
      promise.handle(result);
    } else {
      target.runOnContext(v -> promise.handle(result));
    }
  }

  /** Runs {@code action} on {@code target}: now when already there (or when there is no target), otherwise as a task. */
  public static void run(Context target, Runnable action) {
    if (target == null || Vertx.currentContext() == target) {
      action.run();
    } else {
      target.runOnContext(v -> action.run());
    }
  }
}
