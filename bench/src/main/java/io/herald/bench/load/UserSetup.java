package io.herald.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Registers the users the orders are placed for, then waits until every one of them can be read back
 * ({@code GET /api/users/{id}?minPosition=} the last registration's position). Emails carry a per-run tag, so
 * runs against one long-lived node never collide.
 */
final class UserSetup {

  /** How long the users may take to become visible before the run gives up. */
  static final long VISIBLE_WITHIN_MS = TimeUnit.SECONDS.toMillis(60);
  private static final long RETRY_MS = 100;

  private final Vertx vertx;
  private final ApiClient api;
  private final int users;
  private final int parallelism;
  private final String tag;

  UserSetup(Vertx vertx, ApiClient api, int users, int parallelism, String tag) {
    this.vertx = vertx;
    this.api = api;
    this.users = users;
    this.parallelism = parallelism;
    this.tag = tag;
  }

  /** @return the registered users' ids, once all of them are visible */
  Future<List<String>> run() {
    return Parallel.run(users, parallelism, this::register).compose(registered -> {
      long last = registered.stream().mapToLong(Registered::position).max().orElse(0);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VISIBLE_WITHIN_MS);
      return Parallel.run(users, parallelism, i -> visible(registered.get(i).userId(), last, deadline))
          .map(v -> registered.stream().map(Registered::userId).toList());
    });
  }

  private Future<Registered> register(int index) {
    JsonObject user = new JsonObject()
        .put("email", "load-" + tag + "-" + index + "@herald.test")
        .put("username", "load user " + index);
    return api.registerUser(user).compose(response -> {
      JsonObject body = response.statusCode() == 202 ? response.bodyAsJsonObject() : null;
      if (body == null || body.getString("userId") == null || !(body.getValue("position") instanceof Number position)) {
        return Future.failedFuture(new LoadException("registering a user answered " + response.statusCode() + ": "
            + Failures.detail(response)));
      }
      return Future.succeededFuture(new Registered(body.getString("userId"), position.longValue()));
    });
  }

  /** Reads the user until it answers 200; a timeout of the bounded wait or a 404 is retried until the deadline. */
  private Future<Void> visible(String userId, long position, long deadline) {
    return api.user(userId, position).compose(response -> {
      if (response.statusCode() == 200) {
        return Future.succeededFuture();
      }
      if (System.nanoTime() - deadline > 0) {
        return Future.failedFuture(notVisible(userId, response));
      }
      return vertx.timer(RETRY_MS).compose(v -> visible(userId, position, deadline));
    });
  }

  private static LoadException notVisible(String userId, HttpResponse<Buffer> response) {
    return new LoadException("user " + userId + " was not visible within " + TimeUnit.MILLISECONDS.toSeconds(VISIBLE_WITHIN_MS)
        + " s: GET answered " + response.statusCode() + ": " + Failures.detail(response));
  }

  private record Registered(String userId, long position) {
  }
}
