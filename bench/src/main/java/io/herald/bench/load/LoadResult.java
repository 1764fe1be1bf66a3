package io.herald.bench.load;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one load run measured.
 *
 * @param target         which node was driven, e.g. {@code in-process node (profiles default, postgres)}
 * @param store          the node's event store, as its readiness check names it
 * @param options        the run's options
 * @param accepted       orders answered 202
 * @param visible        orders whose read with {@code minPosition} answered 200
 * @param errors         failed orders by what failed, e.g. {@code POST 503}
 * @param elapsedNanos   from the first order's send until the last order was answered either way
 * @param acceptLatency  microseconds from each order's (scheduled) send to its 202
 * @param visibleLatency microseconds from each order's (scheduled) send to its read's 200
 * @param rebuild        the timed rebuild, when asked for and it finished
 * @param rebuildFailure why the rebuild could not be timed, when asked for and it did not finish
 * @param sagas          the orders' sagas, when the node runs the saga service
 * @param samples        the samples taken while the orders were placed ({@code --sample-seconds}), in order
 */
public record LoadResult(String target, String store, LoadOptions options, long accepted, long visible,
                         Map<String, Long> errors, long elapsedNanos, Histogram acceptLatency, Histogram visibleLatency,
                         Optional<RebuildResult> rebuild, Optional<String> rebuildFailure, Optional<SagaResult> sagas,
                         List<Sample> samples) {

  public LoadResult {
    errors = Collections.unmodifiableMap(new TreeMap<>(errors));
    samples = List.copyOf(samples);
  }

  public LoadResult(String target, String store, LoadOptions options, long accepted, long visible, Map<String, Long> errors,
                    long elapsedNanos, Histogram acceptLatency, Histogram visibleLatency, Optional<RebuildResult> rebuild,
                    Optional<String> rebuildFailure) {
    this(target, store, options, accepted, visible, errors, elapsedNanos, acceptLatency, visibleLatency, rebuild,
        rebuildFailure, Optional.empty(), List.of());
  }

  LoadResult withSagas(SagaResult measured) {
    return new LoadResult(target, store, options, accepted, visible, errors, elapsedNanos, acceptLatency, visibleLatency,
        rebuild, rebuildFailure, Optional.of(measured), samples);
  }

  LoadResult withSamples(List<Sample> taken) {
    return new LoadResult(target, store, options, accepted, visible, errors, elapsedNanos, acceptLatency, visibleLatency,
        rebuild, rebuildFailure, sagas, taken);
  }

  /** @return every order was accepted and became visible, the rebuild, when asked for, was timed, and every saga finished */
  public boolean ok() {
    return accepted == options.orders() && visible == options.orders() && errors.isEmpty()
        && (!options.rebuild() || rebuild.isPresent()) && sagas.map(s -> s.unfinished() == 0).orElse(true);
  }

  /** @return 202s per second over the whole order phase */
  public double acceptedPerSecond() {
    return elapsedNanos <= 0 ? 0 : accepted * (double) TimeUnit.SECONDS.toNanos(1) / elapsedNanos;
  }

  /** @return orders that failed, at whatever step */
  public long failed() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  LoadResult withRebuild(RebuildResult timed) {
    return new LoadResult(target, store, options, accepted, visible, errors, elapsedNanos, acceptLatency, visibleLatency,
        Optional.of(timed), Optional.empty(), sagas, samples);
  }

  LoadResult withRebuildFailure(String why) {
    return new LoadResult(target, store, options, accepted, visible, errors, elapsedNanos, acceptLatency, visibleLatency,
        Optional.empty(), Optional.of(why), sagas, samples);
  }
}
