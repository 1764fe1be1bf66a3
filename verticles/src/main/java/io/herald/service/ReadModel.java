package io.herald.service;

import io.herald.projection.ProjectionRunner;
import io.herald.projection.document.DocumentProjector;
import io.herald.projection.document.DocumentQuery;
import io.herald.projection.document.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A service's read model: its projection, running with a stored checkpoint and listed by the admin API, and the
 * queries over its documents. A query may first wait until the projection has reached a position, bounded by
 * {@code api.readWaitMs} (read-your-writes).
 */
public final class ReadModel {

  /** The body field of a query naming the position to wait for. */
  public static final String MIN_POSITION = "minPosition";

  private final ServiceContext ctx;
  private final ProjectionRunner runner;

  private ReadModel(ServiceContext ctx, ProjectionRunner runner) {
    this.ctx = ctx;
    this.runner = runner;
  }

  /**
   * Starts a projection on the calling verticle's context and registers it.
   *
   * @param name        the projection's name (its checkpoint's name too), e.g. {@code orders}
   * @param collections the document collections it owns
   */
  public static Future<ReadModel> start(ServiceContext ctx, String name, Set<String> collections, DocumentProjector projector) {
    DocumentStore documents = ctx.documents();
    ProjectionRunner runner = new ProjectionRunner(ctx.vertx(), ctx.store(), ctx.checkpoints(), name,
        documents.projection(name, collections, projector), ctx.config().projections());
    ctx.projections().register(runner);
    return runner.start()
        .recover(err -> {
          ctx.projections().unregister(name);
          return Future.failedFuture(err);
        })
        .map(v -> new ReadModel(ctx, runner));
  }

  public ProjectionRunner runner() {
    return runner;
  }

  /** Stops the projection (its checkpoint is saved) and takes it off the admin list. */
  public Future<Void> stop() {
    return runner.stop().eventually(() -> {
      ctx.projections().unregister(runner.name());
      return Future.succeededFuture();
    });
  }

  /** Stops every read model given that started ({@code null} for one that did not), side by side. */
  public static Future<?> stopAll(ReadModel... models) {
    return Future.join(java.util.Arrays.stream(models).filter(java.util.Objects::nonNull).map(ReadModel::stop).toList());
  }

  /** Waits until the projection has applied the query's {@value #MIN_POSITION}, when it names one. */
  public Future<Void> awaitPosition(JsonObject query) {
    Long min = query.getLong(MIN_POSITION);
    if (min == null || min <= 0) {
      return Future.succeededFuture();
    }
    return runner.awaitPosition(min, ctx.config().api().readWaitMs());
  }

  /** Waits for everything stored so far; used before deciding that an id is unknown. */
  public Future<Void> awaitHead() {
    return ctx.store().headPosition().compose(head -> runner.awaitPosition(head, ctx.config().api().readWaitMs()));
  }

  public Future<Optional<JsonObject>> get(String collection, String id) {
    return ctx.documents().get(collection, id);
  }

  public Future<List<JsonObject>> find(String collection, DocumentQuery query) {
    return ctx.documents().find(collection, query);
  }
}
