package io.herald.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;

/**
 * Times a rebuild of one projection through the admin API. It first waits until every projection has caught up
 * and the head stands still, so the replay competes with nothing, then POSTs the rebuild and polls
 * {@code GET /api/admin/projections} until the projection is live again.
 *
 * <p>The answer to the POST may still show the old state, so the replay counts as seen once the state has left
 * {@code live} or the checkpoint has gone back. A replay short enough to finish between two polls is never seen:
 * after {@link #UNSEEN_GRACE_MS} the first poll's time is taken as its duration, marked as an upper bound.
 */
final class RebuildProbe {

  static final long POLL_MS = 20;
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
        .compose(before -> {
          long start = System.nanoTime();
          return api.rebuild(projection).compose(response -> {
            if (response.statusCode() != 202) {
              return Future.failedFuture(new LoadException("rebuilding projection '" + projection + "' answered "
                  + response.statusCode() + ": " + Failures.detail(response)));
            }
            return poll(new Watch(start, before.getLong("checkpoint")));
          });
        });
  }

  /** Polls until every projection has no lag and this one's checkpoint is the same in two polls in a row. */
  private Future<JsonObject> quiet(long previous, long deadline) {
    return statuses().compose(all -> {
      JsonObject mine = find(all);
      boolean caughtUp = all.stream().map(JsonObject.class::cast)
          .allMatch(p -> "live".equals(p.getString("state")) && p.getLong("lag", 0L) == 0);
      long checkpoint = mine.getLong("checkpoint", 0L);
      if (caughtUp && checkpoint == previous) {
        return Future.succeededFuture(mine);
      }
      if (System.nanoTime() - deadline > 0) {
        return Future.failedFuture(new LoadException("the projections did not catch up within "
            + TimeUnit.MILLISECONDS.toSeconds(QUIET_WITHIN_MS) + " s before the rebuild: " + all.encode()));
      }
      return vertx.timer(POLL_MS * 10).compose(v -> quiet(checkpoint, deadline));
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
      watch.seen |= !live || checkpoint < watch.before;
      if (watch.firstPollNanos < 0) {
        watch.firstPollNanos = now;
      }
      if (live && watch.seen) {
        return Future.succeededFuture(new RebuildResult(projection, checkpoint, now - watch.start, true));
      }
      long waited = now - watch.start;
      if (live && waited > TimeUnit.MILLISECONDS.toNanos(UNSEEN_GRACE_MS)) {
        return Future.succeededFuture(new RebuildResult(projection, checkpoint, watch.firstPollNanos - watch.start, false));
      }
      if (waited > TimeUnit.MILLISECONDS.toNanos(REBUILD_WITHIN_MS)) {
        return Future.failedFuture(new LoadException("projection '" + projection + "' was not live again within "
            + TimeUnit.MILLISECONDS.toSeconds(REBUILD_WITHIN_MS) + " s of the rebuild (" + state + " at " + checkpoint + ")"));
      }
      return vertx.timer(POLL_MS).compose(v -> poll(watch));
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
    final long before;
    long firstPollNanos = -1;
    boolean seen;

    Watch(long start, long before) {
      this.start = start;
      this.before = before;
    }
  }
}
