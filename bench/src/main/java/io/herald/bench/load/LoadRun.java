package io.herald.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One load run against a node's HTTP API: which store it has, the users, the orders, then the optional rebuild of
 * the {@value #PROJECTION} projection. Every step runs on one context of the given Vert.x instance, as a chain of
 * futures; {@link #stage()}, {@link #stats()} and {@link #nextSample()} may be read from any thread to show progress.
 */
final class LoadRun {

  /** The projection {@code --rebuild} replays: the read model the orders' reads come from. */
  static final String PROJECTION = "orders";

  /** Where a run is. */
  enum Stage { STARTING, USERS, ORDERS, REBUILD, DONE }

  private final Vertx vertx;
  private final ApiClient api;
  private final LoadOptions options;
  private final String target;
  private final OrderStats stats = new OrderStats();
  private final Sampler sampler;
  private volatile Stage stage = Stage.STARTING;

  /**
   * @param token  the bearer token of every call; {@code null} for a node with auth off
   * @param target names the node in the report
   */
  LoadRun(Vertx vertx, URI base, String token, LoadOptions options, String target) {
    this.vertx = vertx;
    this.options = options;
    this.target = target;
    this.api = new ApiClient(vertx, base, options.concurrency(), token);
    this.sampler = options.sampled()
        ? new Sampler(vertx, stats, new ProcessMemory(vertx), new LagProbe(vertx, base, token),
            TimeUnit.SECONDS.toMillis(options.sampleSeconds()))
        : null;
  }

  Stage stage() {
    return stage;
  }

  OrderStats stats() {
    return stats;
  }

  /** @return the next sample to print, or {@code null} when there is none (yet, or the run is not sampled) */
  Sample nextSample() {
    return sampler == null ? null : sampler.nextUnprinted();
  }

  /** @return the result once every order was answered (and the rebuild timed); fails when the setup fails */
  Future<LoadResult> start() {
    Context context = vertx.getOrCreateContext();
    Promise<LoadResult> result = Promise.promise();
    context.runOnContext(v -> steps().onComplete(result));
    return result.future().onComplete(ar -> api.close());
  }

  private Future<LoadResult> steps() {
    String tag = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    return store().compose(store -> {
      stage = Stage.USERS;
      return new UserSetup(vertx, api, options.users(), options.concurrency(), tag).run().compose(userIds -> sagaService()
          .compose(sagas -> {
            stage = Stage.ORDERS;
            OrderFactory orders = new OrderFactory(userIds, options.skus(), ThreadLocalRandom.current().nextLong());
            return placeOrders(orders)
                .map(done -> new LoadResult(target, store, options, done.acceptedCount(), done.visibleCount(), done.errors(),
                    done.elapsedNanos(), done.acceptLatency().copy(), done.visibleLatency().copy(), Optional.empty(),
                    Optional.empty()))
                .compose(measured -> sampler == null ? Future.succeededFuture(measured)
                    : sampler.stop().map(measured::withSamples))
                .compose(measured -> !sagas ? Future.succeededFuture(measured)
                    : new SagaProbe(vertx, api, options.concurrency()).run(stats.placedOrders()).map(measured::withSagas));
          }));
    }).compose(measured -> {
      if (!options.rebuild()) {
        return Future.succeededFuture(measured);
      }
      stage = Stage.REBUILD;
      return new RebuildProbe(vertx, api, PROJECTION).run()
          .map(measured::withRebuild)
          .otherwise(err -> measured.withRebuildFailure(err.getMessage() == null ? err.toString() : err.getMessage()));
    }).onComplete(ar -> stage = Stage.DONE);
  }

  /** The order phase, sampled from its start when asked for. */
  private Future<OrderStats> placeOrders(OrderFactory orders) {
    Future<OrderStats> placed = new OrderPhase(vertx, api, orders, options, stats).run();
    if (sampler != null) {
      sampler.start();
    }
    return placed;
  }

  /**
   * Whether the node runs the saga service; when it does, every SKU the orders use is stocked first (more than the
   * orders can take), so each saga runs through to shipping.
   */
  private Future<Boolean> sagaService() {
    return api.breakers().compose(response -> {
      if (response.statusCode() != 200) {
        return Future.succeededFuture(false);
      }
      int plenty = options.orders() * 15 + 1;
      List<String> skus = OrderFactory.skus(options.skus());
      return Parallel.run(skus.size(), options.concurrency(),
              i -> api.setStock(skus.get(i), plenty).compose(r -> r.statusCode() == 202
                  ? Future.succeededFuture(r)
                  : Future.failedFuture(new LoadException("stocking " + skus.get(i) + " answered "
                      + r.statusCode() + ": " + Failures.detail(r)))))
          .map(true);
    });
  }

  /** The store the node reports in {@code /health/ready}; also checks that the node answers at all. */
  private Future<String> store() {
    return api.ready().transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new LoadException("the node does not answer: " + Failures.oneLine(ar.cause()), ar.cause()));
      }
      JsonObject body = ar.result().statusCode() == 200 ? ar.result().bodyAsJsonObject() : null;
      if (body == null) {
        return Future.failedFuture(new LoadException("the node is not ready: GET /health/ready answered "
            + ar.result().statusCode() + ": " + Failures.detail(ar.result())));
      }
      JsonArray checks = body.getJsonArray("checks", new JsonArray());
      return Future.succeededFuture(checks.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .filter(c -> "store".equals(c.getString("name"))).map(c -> c.getString("store")).filter(s -> s != null)
          .findFirst().orElse("unknown"));
    });
  }
}
