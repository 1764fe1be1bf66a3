package io.herald.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;

/**
 * Runs clients concurrently on one event-loop context for a fixed time. Each client issues its next operation
 * as soon as the previous one completes (a closed loop), so concurrency equals the number of clients and no
 * thread ever blocks. After the deadline (or once a client says it has no more work) no client starts a new
 * operation; the figures count every operation, up to the last completion.
 */
final class ClosedLoop {

  /** One client: its operations run one after another. */
  @FunctionalInterface
  interface Client {
    /** @return completes with the number of rows (events) the operation wrote; {@code null} when the client has no more work */
    Future<Integer> next();
  }

  private final Context context;
  private final List<? extends Client> clients;
  private final long durationNanos;
  private final Promise<LoadResult> result = Promise.promise();

  private long[] latencies = new long[1 << 16];
  private long operations;
  private long rows;
  private int running;
  private long start;
  private long deadline;
  private long lastCompletion;
  private CpuSampler.Snapshot cpuStart;

  private ClosedLoop(Context context, List<? extends Client> clients, long durationNanos) {
    this.context = context;
    this.clients = clients;
    this.durationNanos = durationNanos;
  }

  /** @return the figures of the run, or the first operation failure */
  static Future<LoadResult> run(Context context, List<? extends Client> clients, long durationNanos) {
    ClosedLoop loop = new ClosedLoop(context, clients, durationNanos);
    context.runOnContext(v -> loop.start());
    return loop.result.future();
  }

  private void start() {
    cpuStart = CpuSampler.snapshot();
    start = System.nanoTime();
    deadline = start + durationNanos;
    lastCompletion = start;
    running = clients.size();
    for (Client client : clients) {
      step(client);
    }
  }

  private void step(Client client) {
    if (result.future().isComplete() || System.nanoTime() - deadline >= 0) {
      finished();
      return;
    }
    long issued = System.nanoTime();
    Future<Integer> op;
    try {
      op = client.next();
    } catch (RuntimeException e) {
      op = Future.failedFuture(e);
    }
    if (op == null) {
      finished();
      return;
    }
    op.onComplete(ar -> onContext(() -> {
      if (ar.failed()) {
        result.tryFail(ar.cause());
        finished();
        return;
      }
      long now = System.nanoTime();
      record(now - issued);
      rows += ar.result();
      lastCompletion = now;
      step(client);
    }));
  }

  private void record(long latency) {
    if (operations == latencies.length) {
      latencies = Arrays.copyOf(latencies, latencies.length * 2);
    }
    latencies[(int) operations++] = latency;
  }

  private void finished() {
    if (--running == 0 && !result.future().isComplete()) {
      CpuSampler.Usage cpu = CpuSampler.snapshot().since(cpuStart);
      result.complete(new LoadResult(clients.size(), operations, rows, lastCompletion - start,
          Arrays.copyOf(latencies, (int) operations), cpu));
    }
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
