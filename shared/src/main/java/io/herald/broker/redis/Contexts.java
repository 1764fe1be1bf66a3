package io.herald.broker.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** Hands results to the context that owns them, so callers never see another event loop's thread. */
final class Contexts {

  private Contexts() {
  }

  /** @return {@code future}, completed on {@code target}; the future itself when there is no target */
  static <T> Future<T> on(Context target, Future<T> future) {
    if (target == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> run(target, () -> promise.handle(ar)));
    return promise.future();
  }

  /** Runs {@code action} on {@code target}: now when already there, otherwise as a task. */
  static void run(Context target, Runnable action) {
    if (target == null || Vertx.currentContext() == target) {
      action.run();
    } else {
      target.runOnContext(v -> action.run());
    }
  }
}
