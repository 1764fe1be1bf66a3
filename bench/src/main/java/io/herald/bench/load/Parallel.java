package io.herald.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/** Runs {@code count} asynchronous tasks, at most {@code parallelism} at once, on the caller's context. */
final class Parallel<T> {

  private final int count;
  private final int parallelism;
  private final IntFunction<Future<T>> task;
  private final List<T> results;
  private final Promise<List<T>> all = Promise.promise();
  private int next;
  private int done;

  private Parallel(int count, int parallelism, IntFunction<Future<T>> task) {
    this.count = count;
    this.parallelism = Math.max(1, parallelism);
    this.task = task;
    this.results = new ArrayList<>(Collections.nCopies(count, null));
  }

  /** @return the results in task order; fails with the first failure, after which no further task starts */
  static <T> Future<List<T>> run(int count, int parallelism, IntFunction<Future<T>> task) {
    if (count == 0) {
      return Future.succeededFuture(List.of());
    }
    Parallel<T> run = new Parallel<>(count, parallelism, task);
    for (int i = 0; i < Math.min(count, run.parallelism); i++) {
      run.startNext();
    }
    return run.all.future();
  }

  private void startNext() {
    if (next >= count || all.future().isComplete()) {
      return;
    }
    int index = next++;
    Future<T> started;
    try {
      started = task.apply(index);
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    started.onComplete(ar -> {
      if (ar.failed()) {
        all.tryFail(ar.cause());
        return;
      }
      results.set(index, ar.result());
      if (++done == count) {
        all.tryComplete(Collections.unmodifiableList(results));
      } else {
        startNext();
      }
    });
  }
}
