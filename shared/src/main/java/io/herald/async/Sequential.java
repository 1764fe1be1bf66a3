package io.herald.async;

import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;

/**
 * Runs an asynchronous step for each item of a list, one after the other, stopping at the first failure. Steps that
 * answer at once are run in a loop, not as a chain of futures: a chain of thousands of futures that complete one
 * another when a slow first step answers overflows the stack, and the whole never completes.
 */
public final class Sequential {

  /** One step; it may answer at once or later. */
  @FunctionalInterface
  public interface Step<T> {
    Future<Void> run(int index, T item);
  }

  private Sequential() {
  }

  /** @return completes once every step succeeded, or fails with the first step's failure (or what it threw) */
  public static <T> Future<Void> each(List<T> items, Step<T> step) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(step, "step");
    return from(items, step, 0);
  }

  private static <T> Future<Void> from(List<T> items, Step<T> step, int start) {
    for (int i = start; i < items.size(); i++) {
      Future<Void> done;
      try {
        done = step.run(i, items.get(i));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      if (done == null) {
        return Future.failedFuture(new IllegalStateException("step " + i + " returned null instead of a future"));
      }
      if (!done.isComplete()) {
        int next = i + 1;
        return done.compose(v -> from(items, step, next));
      }
      if (done.failed()) {
        return done;
      }
    }
    return Future.succeededFuture();
  }
}
