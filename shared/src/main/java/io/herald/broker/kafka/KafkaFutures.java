package io.herald.broker.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaFuture;

/** Bridges Kafka's own futures (admin client) onto Vert.x futures completed on a chosen context. */
final class KafkaFutures {

  private KafkaFutures() {
  }

  /** @return {@code future}'s outcome, delivered on {@code context} (directly when there is none) */
  static <T> Future<T> on(Context context, KafkaFuture<T> future) {
    Promise<T> promise = Promise.promise();
    future.whenComplete((value, error) -> complete(context, promise, value, error));
    return promise.future();
  }

  /** Completes on the given context, or directly when it is null or already the current one. */
  static <T> void complete(Context context, Promise<T> promise, T value, Throwable error) {
    Throwable cause = unwrap(error);
    if (context == null || Vertx.currentContext() == context) {
      if (cause == null) {
        promise.complete(value);
      } else {
        promise.fail(cause);
      }
    } else {
      context.runOnContext(v -> complete(null, promise, value, cause));
    }
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
