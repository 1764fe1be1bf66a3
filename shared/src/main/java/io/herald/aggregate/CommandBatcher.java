package io.herald.aggregate;

import io.herald.event.DomainEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Queues commands per aggregate and decides the queued ones of an aggregate together, one append per batch
 * ({@link AggregateRepository#handleAll}). While a batch is being stored, new commands for that aggregate wait and
 * form the next batch, so a popular aggregate (a hot SKU in a flash sale) is written at the pace of store round
 * trips, not of commands; different aggregates run side by side.
 *
 * <p>Each aggregate's queue is bounded: past {@link BatchingOptions#maxQueued()} waiting commands, a new one fails
 * at once with {@link AggregateBusyException} and changes nothing, so a caller can tell "busy, retry" from a fault,
 * and a command that was queued is decided within a bounded time.
 *
 * <p>The aggregate as the last batch left it is kept (up to {@link BatchingOptions#maxCached()} aggregates, least
 * recently used dropped first), so a batch usually starts without a load; if another writer appended meanwhile,
 * the append's version check fails and the batch is decided again on fresh state.
 *
 * <p>Not thread-safe: use it from one context (a verticle's); an idle aggregate's batch starts on the context's
 * next turn, so commands that arrive together are decided together even on a store that answers at once.
 *
 * @param <S> the state type
 */
public final class CommandBatcher<S> {

  private final AggregateRepository<S> repository;
  private final BatchingOptions options;
  private final Map<String, Lane<S>> lanes = new HashMap<>();
  private final Map<String, Loaded<S>> cached;
  private volatile int waiting;   // written on the context, read by metrics scrapes
  private long batches;

  public CommandBatcher(AggregateRepository<S> repository, BatchingOptions options) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.options = Objects.requireNonNull(options, "options");
    this.cached = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Loaded<S>> eldest) {
        return size() > options.maxCached();
      }
    };
  }

  /** Submits a command that starts a new flow; see {@link #submit(String, String, String, Function)}. */
  public Future<CommandResult<S>> submit(String id, Function<Loaded<S>, List<? extends DomainEvent>> decide) {
    return submit(id, null, null, decide);
  }

  /**
   * Queues one command for aggregate {@code id}.
   *
   * @return its outcome once its batch is stored; fails at once with {@link AggregateBusyException} when the
   *     aggregate's queue is full, with the command's own refusal, or with the batch's append failure
   */
  public Future<CommandResult<S>> submit(String id, String correlationId, String causationId,
                                         Function<Loaded<S>, List<? extends DomainEvent>> decide) {
    Objects.requireNonNull(id, "id");
    Lane<S> lane = lanes.computeIfAbsent(id, k -> new Lane<>());
    if (lane.queue.size() >= options.maxQueued()) {
      return Future.failedFuture(new AggregateBusyException(id, lane.queue.size(), options.maxQueued()));
    }
    Promise<CommandResult<S>> promise = Promise.promise();
    lane.queue.add(new Pending<>(new BatchCommand<>(correlationId, causationId, decide), promise));
    waiting++;
    if (!lane.running) {
      // start on the next turn of the context: commands arriving in this turn (a burst read off the bus) join it
      lane.running = true;
      io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
      if (context == null) {
        drain(id, lane);
      } else {
        context.runOnContext(v -> drain(id, lane));
      }
    }
    return promise.future();
  }

  /** @return commands waiting for their batch to start, over every aggregate */
  public int waiting() {
    return waiting;
  }

  /** @return batches started so far (each one append at most) */
  public long batches() {
    return batches;
  }

  private void drain(String id, Lane<S> lane) {
    if (lane.queue.isEmpty()) {
      lanes.remove(id);
      return;
    }
    lane.running = true;
    List<Pending<S>> batch = new ArrayList<>(Math.min(lane.queue.size(), options.maxBatch()));
    while (!lane.queue.isEmpty() && batch.size() < options.maxBatch()) {
      batch.add(lane.queue.poll());
    }
    waiting -= batch.size();
    batches++;
    repository.handleAll(id, cached.get(id), batch.stream().map(Pending::command).toList()).onComplete(ar -> {
      if (ar.succeeded()) {
        cached.put(id, ar.result().after());
        List<Future<CommandResult<S>>> outcomes = ar.result().outcomes();
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).promise().handle(outcomes.get(i));
        }
      } else {
        cached.remove(id);
        batch.forEach(p -> p.promise().fail(ar.cause()));
      }
      lane.running = false;
      drain(id, lane);
    });
  }

  private static final class Lane<S> {
    final ArrayDeque<Pending<S>> queue = new ArrayDeque<>();
    boolean running;
  }

  private record Pending<S>(BatchCommand<S> command, Promise<CommandResult<S>> promise) {
  }
}
