package io.herald.service;

import io.herald.lease.LeasedRole;
import io.herald.projection.ProjectionRunner;
import io.herald.projection.ProjectionTimeoutException;
import io.herald.projection.document.DocumentProjector;
import io.herald.projection.document.DocumentQuery;
import io.herald.projection.document.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A service's read model: its projection, running with a stored checkpoint and listed by the admin API, and the
 * queries over its documents. A query may first wait until the projection has reached a position, bounded by
 * {@code api.readWaitMs} (read-your-writes).
 *
 * <p>On a store shared by several nodes the projection writer is a singleton role ({@code projection:<name>}): only
 * the node holding it applies events; a standby answers queries from the same documents and waits for a position by
 * reading the projection's stored checkpoint, which a PostgreSQL read model commits with each page.
 */
public final class ReadModel {

  /** The body field of a query naming the position to wait for. */
  public static final String MIN_POSITION = "minPosition";

  /** How often a standby reads the stored checkpoint while a query waits for a position, in milliseconds. */
  private static final long STANDBY_POLL_MS = 20;

  /** How much sooner than the gateway's {@code api.commandTimeoutMs} a read that waits for a position gives up. */
  private static final long READ_ANSWER_MARGIN_MS = 250;

  private final ServiceContext ctx;
  private final ProjectionRunner runner;
  private final SingletonRole writer;
  private final WriterDuty duty;

  private ReadModel(ServiceContext ctx, ProjectionRunner runner, SingletonRole writer, WriterDuty duty) {
    this.ctx = ctx;
    this.runner = runner;
    this.writer = writer;
    this.duty = duty;
  }

  /** Applies the projection while this node holds the writer role, and stands by again when it loses it. */
  private static final class WriterDuty implements LeasedRole.Duty {
    private final ProjectionRunner runner;
    private volatile boolean closing;

    WriterDuty(ProjectionRunner runner) {
      this.runner = runner;
    }

    @Override
    public Future<Void> start(long epoch) {
      return runner.start();
    }

    @Override
    public Future<Void> stop() {
      return closing ? runner.stop() : runner.stop().compose(v -> runner.standby());
    }
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
    WriterDuty duty = new WriterDuty(runner);
    return runner.standby().compose(v -> SingletonRole.start(ctx, "projection:" + name, duty))
        .recover(err -> {
          ctx.projections().unregister(name);
          return Future.failedFuture(err);
        })
        .map(writer -> new ReadModel(ctx, runner, writer, duty));
  }

  public ProjectionRunner runner() {
    return runner;
  }

  /** Stops the projection (its checkpoint is saved) and takes it off the admin list. */
  public Future<Void> stop() {
    duty.closing = true;
    return writer.stop().eventually(() -> {
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
    // a position past everything the store holds was never handed to a client: the caller's mistake, not a timeout
    return awaitPosition(min).recover(err -> err instanceof ProjectionTimeoutException
        ? ctx.store().headPosition().compose(head -> Future.failedFuture(min > head
            ? new IllegalArgumentException(MIN_POSITION + " " + min + " is beyond the last stored event (position " + head
                + "): nothing was written there")
            : err))
        : Future.failedFuture(err));
  }

  private Future<Void> awaitPosition(long position) {
    // answered before the caller's own timeout, so that the caller hears why
    long timeoutMs = Math.max(0, Math.min(ctx.config().api().readWaitMs(), ctx.config().api().commandTimeoutMs() - READ_ANSWER_MARGIN_MS));
    if (writer.active()) {
      return runner.awaitPosition(position, timeoutMs);
    }
    Promise<Void> reached = Promise.promise();
    pollCheckpoint(position, System.currentTimeMillis() + timeoutMs, timeoutMs, reached);
    return reached.future();
  }

  // a standby: the node holding the writer role commits the checkpoint with each page of documents
  private void pollCheckpoint(long position, long deadline, long timeoutMs, Promise<Void> reached) {
    ctx.checkpoints().load(runner.name()).onComplete(ar -> {
      if (ar.succeeded() && ar.result() >= position || writer.active() && runner.checkpoint() >= position) {
        reached.tryComplete();
      } else if (System.currentTimeMillis() >= deadline) {
        reached.tryFail(new ProjectionTimeoutException(runner.name(), ar.succeeded() ? ar.result() : 0, position, timeoutMs));
      } else {
        ctx.vertx().setTimer(STANDBY_POLL_MS, t -> pollCheckpoint(position, deadline, timeoutMs, reached));
      }
    });
  }

  /** Waits for everything stored so far; used before deciding that an id is unknown. */
  public Future<Void> awaitHead() {
    return ctx.store().headPosition().compose(this::awaitPosition);
  }

  public Future<Optional<JsonObject>> get(String collection, String id) {
    return ctx.documents().get(collection, id);
  }

  public Future<List<JsonObject>> find(String collection, DocumentQuery query) {
    return ctx.documents().find(collection, query);
  }
}
