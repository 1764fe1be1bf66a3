package io.herald.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Times a rebuild of one projection through the admin API. It first waits until the node is quiet: every projection
 * live at one and the same checkpoint, twice in a row. That checkpoint is the head the replay has to reach. It then
 * POSTs the rebuild and polls {@code GET /api/admin/projections} until the projection is live again at that head.
 *
 * <p>Neither the state nor the lag alone is trusted: the answer to the POST may still show the old state, and a
 * PostgreSQL store's head can read low for a moment while another store in the same database appends (its
 * {@code safe_head()} waits for every store's in-flight blocks), which can make a projection report itself live
 * early. So the replay counts as seen once the state has left {@code live} or the checkpoint has gone back, and as
 * done once the projection is live again with its checkpoint back at the head. A replay short enough to finish
 * between two polls is never seen: after {@link #UNSEEN_GRACE_MS} the first poll's time is taken as its duration,
 * marked as an upper bound. Polls are {@link #POLL_MS} apart at first, then about 1 % of the time elapsed (at most
 * {@link #POLL_MAX_MS}), so a long replay is not slowed by the polling and is still timed to about 1 %.
 */
final class RebuildProbe {

  static final long POLL_MS = 20;
  static final long POLL_MAX_MS = 250;
  private static final long QUIET_POLL_MS = 200;
  static final long UNSEEN_GRACE_MS = 2_000;
  static final long QUIET_WITHIN_MS = TimeUnit.MINUTES.toMillis(10);
  static final long REBUILD_WITHIN_MS = TimeUnit.MINUTES.toMillis(10);

  private final Vertx vertx;
  private final ApiClient api;
  private final String projection;

  RebuildProbe(Vertx vertx, ApiClient api, String projection) {
    this.vertx = vertx;
    this.api = api;
    this.projection = projection;
  }

  Future<RebuildResult> run() {
    return quiet(-1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_WITHIN_MS))
        .compose(head -> {
          long start = System.nanoTime();
          return api.rebuild(projection).compose(response -> {
            if (response.statusCode() != 202) {
              return Future.failedFuture(new LoadException("rebuilding projection '" + projection + "' answered "
                  + response.statusCode() + ": " + Failures.detail(response)));
            }
            return poll(new Watch(start, head));
          });
        });
  }

  /** Polls until every projection is live at the same checkpoint as in the poll before; answers that checkpoint. */
  private Future<Long> quiet(long previous, long deadline) {
    return statuses().compose(all -> {
      find(all);
      List<JsonObject> projections = all.stream().map(JsonObject.class::cast).toList();
      long checkpoint = projections.get(0).getLong("checkpoint", 0L);
      boolean caughtUp = projections.stream()
          .allMatch(p -> "live".equals(p.getString("state")) && p.getLong("checkpoint", -1L) == checkpoint);
      if (caughtUp && checkpoint == previous) {
        return Future.succeededFuture(checkpoint);
      }
      if (System.nanoTime() - deadline > 0) {
        return Future.failedFuture(new LoadException("the projections did not catch up within "
            + TimeUnit.MILLISECONDS.toSeconds(QUIET_WITHIN_MS) + " s before the rebuild: " + all.encode()));
      }
      return vertx.timer(QUIET_POLL_MS).compose(v -> quiet(caughtUp ? checkpoint : -1, deadline));
    });
  }

  private Future<RebuildResult> poll(Watch watch) {
    return statuses().compose(all -> {
      long now = System.nanoTime();
      JsonObject mine = find(all);
      String state = mine.getString("state");
      long checkpoint = mine.getLong("checkpoint", 0L);
      if ("failed".equals(state)) {
        return Future.failedFuture(new LoadException("projection '" + projection + "' failed during the rebuild: "
            + mine.getString("error", "no error given")));
      }
      boolean live = "live".equals(state);
      watch.seen |= !live || checkpoint < watch.head;
      if (watch.firstPollNanos < 0) {
        watch.firstPollNanos = now;
      }
      boolean done = live && checkpoint >= watch.head;
      if (done && watch.seen) {
        return Future.succeededFuture(new RebuildResult(projection, checkpoint, now - watch.start, true));
      }
      long waited = now - watch.start;
      if (done && waited > TimeUnit.MILLISECONDS.toNanos(UNSEEN_GRACE_MS)) {
        return Future.succeededFuture(new RebuildResult(projection, checkpoint, watch.firstPollNanos - watch.start, false));
      }
      if (waited > TimeUnit.MILLISECONDS.toNanos(REBUILD_WITHIN_MS)) {
        return Future.failedFuture(new LoadException("projection '" + projection + "' was not live again within "
            + TimeUnit.MILLISECONDS.toSeconds(REBUILD_WITHIN_MS) + " s of the rebuild (" + state + " at " + checkpoint
            + " of " + watch.head + ")"));
      }
      long next = Math.max(POLL_MS, Math.min(POLL_MAX_MS, TimeUnit.NANOSECONDS.toMillis(waited) / 100));
      return vertx.timer(next).compose(v -> poll(watch));
    });
  }

  private Future<JsonArray> statuses() {
    return api.projections().compose(response -> {
      JsonArray all = response.statusCode() == 200 ? body(response).getJsonArray("projections") : null;
      return all == null
          ? Future.failedFuture(new LoadException("listing the projections answered " + response.statusCode() + ": "
              + Failures.detail(response)))
          : Future.succeededFuture(all);
    });
  }

  private JsonObject find(JsonArray all) {
    return all.stream().map(JsonObject.class::cast).filter(p -> projection.equals(p.getString("name"))).findFirst()
        .orElseThrow(() -> new LoadException("the node has no projection '" + projection + "'"));
  }

  private static JsonObject body(HttpResponse<Buffer> response) {
    JsonObject body = response.bodyAsJsonObject();
    return body == null ? new JsonObject() : body;
  }

  /** What the polls have seen of one rebuild. */
  private static final class Watch {
    final long start;
    final long head;
    long firstPollNanos = -1;
    boolean seen;

    Watch(long start, long head) {
      this.start = start;
      this.head = head;
    }
  }
}
