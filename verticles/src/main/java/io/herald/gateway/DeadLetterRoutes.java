package io.herald.gateway;

import static io.herald.gateway.ApiRoutes.on;
import static io.herald.gateway.ApiRoutes.path;
import static io.herald.gateway.ApiRoutes.queryLong;
import static io.herald.gateway.ApiRoutes.queryString;

import io.herald.delivery.DeadLetter;
import io.herald.delivery.DeadLetterNotFoundException;
import io.herald.delivery.DeadLetters;
import io.herald.delivery.RedriveFailedException;
import io.herald.delivery.RedriveUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.UUID;

/** {@code /api/dead-letters}: list, redrive and delete what consumer groups gave up on. */
final class DeadLetterRoutes {

  private static final int DEFAULT_PAGE = 100;

  private final DeadLetters deadLetters;

  DeadLetterRoutes(DeadLetters deadLetters) {
    this.deadLetters = deadLetters;
  }

  void register(RouterBuilder builder) {
    on(builder, "listDeadLetters", this::list);
    on(builder, "redriveDeadLetter", this::redrive);
    on(builder, "deleteDeadLetter", this::delete);
  }

  private void list(RoutingContext rc) {
    long after = queryLong(rc, "after") == null ? 0 : queryLong(rc, "after");
    int limit = queryLong(rc, "limit") == null ? DEFAULT_PAGE : queryLong(rc, "limit").intValue();
    deadLetters.list(queryString(rc, "consumer"), after, limit)
        .onSuccess(page -> rc.json(new JsonObject()
            .put("deadLetters", new JsonArray(page.stream().map(DeadLetter::toJson).toList()))
            .put("next", page.isEmpty() ? after : page.get(page.size() - 1).seq())))
        .onFailure(rc::fail);
  }

  private void redrive(RoutingContext rc) {
    deadLetters.redrive(id(rc))
        .recover(DeadLetterRoutes::problem)
        .onSuccess(rc::json)
        .onFailure(rc::fail);
  }

  private void delete(RoutingContext rc) {
    UUID id = id(rc);
    deadLetters.delete(id)
        .compose(existed -> existed ? Future.<Void>succeededFuture() : problem(new DeadLetterNotFoundException(id)))
        .onSuccess(v -> rc.response().setStatusCode(204).end())
        .onFailure(rc::fail);
  }

  private static UUID id(RoutingContext rc) {
    return UUID.fromString(path(rc, "id"));  // the contract checked the format
  }

  private static <T> Future<T> problem(Throwable err) {
    if (err instanceof DeadLetterNotFoundException) {
      return Future.failedFuture(new ProblemException(404, err.getMessage()));
    }
    if (err instanceof RedriveFailedException) {
      return Future.failedFuture(new ProblemException(422, "the redrive failed again, the dead letter is kept: " + err.getMessage()));
    }
    if (err instanceof RedriveUnavailableException) {
      return Future.failedFuture(new ProblemException(503, err.getMessage()));
    }
    return Future.failedFuture(err);
  }

}
