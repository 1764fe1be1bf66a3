package io.herald.broker.support;

import io.herald.async.OnContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Brings what a broker's own client completes on its threads (a {@code CompletableFuture}, a {@code KafkaFuture}'s
 * stage) back onto a Vert.x context, with the client's own failure rather than the wrapper it travels in.
 */
public final class ClientFutures {

  private ClientFutures() {
  }

  /**
   * @param context where the result completes; where the client completes it when null
   * @param call    starts the client's work; when it throws, the future fails with what it threw
   */
  public static <T> Future<T> of(Context context, Callable<? extends CompletionStage<T>> call) {
    CompletionStage<T> stage;
    try {
      stage = call.call();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    Promise<T> promise = Promise.promise();
    stage.whenComplete((value, error) -> OnContext.complete(context, promise,
        error == null ? Future.succeededFuture(value) : Future.failedFuture(unwrap(error))));
    return promise.future();
  }

  /** @return the failure inside {@link CompletionException}s and {@link ExecutionException}s */
  public static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
