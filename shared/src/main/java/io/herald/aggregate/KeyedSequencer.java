package io.herald.aggregate;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs tasks one after the other per key, and tasks of different keys side by side. A service that gets many
 * commands for one aggregate at once runs them in turn instead of letting them race and retry on conflicts.
 * Not thread-safe: use it from one context (a verticle's).
 */
public final class KeyedSequencer {

  private final Map<String, Future<?>> tails = new HashMap<>();

  /** @return the task's outcome, once every task queued before it under {@code key} has finished */
  public <T> Future<T> run(String key, Supplier<Future<T>> task) {
    Future<?> previous = tails.get(key);
    Future<T> result = previous == null ? start(task) : previous.transform(ignored -> start(task));
    tails.put(key, result);
    result.onComplete(ar -> tails.remove(key, result));
    return result;
  }

  private static <T> Future<T> start(Supplier<Future<T>> task) {
    try {
      return task.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** @return how many keys have tasks queued or running */
  public int keys() {
    return tails.size();
  }
}
