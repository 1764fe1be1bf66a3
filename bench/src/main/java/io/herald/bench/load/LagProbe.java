package io.herald.bench.load;

import io.herald.launcher.ServiceCatalogue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Asks the node how far behind it is: {@code GET /api/admin/projections} (each read model's lag) and
 * {@code GET /health/ready} (the relay's lag, in its check's detail); both need the {@code admin} scope. It has
 * connections of its own, so a sample neither waits behind the orders nor takes one of their slots.
 */
final class LagProbe implements AutoCloseable {

  /** Two connections: the two requests of one reading. */
  private static final int CONNECTIONS = 2;

  private final ApiClient api;

  LagProbe(Vertx vertx, URI base, String token) {
    this.api = new ApiClient(vertx, base, CONNECTIONS, token);
  }

  /** @return the lags; a request that fails leaves its figure out instead of failing the reading */
  Future<NodeLag> read() {
    Future<HttpResponse<Buffer>> listed = api.projections();
    Future<HttpResponse<Buffer>> ready = api.ready();
    return Future.join(listed, ready).transform(joined -> {
      OptionalLong projections = OptionalLong.empty();
      Optional<String> problem;
      if (listed.failed()) {
        problem = Optional.of(Failures.transport("GET /api/admin/projections", listed.cause()));
      } else if (listed.result().statusCode() != 200) {
        problem = Optional.of("GET /api/admin/projections answered " + listed.result().statusCode() + ": "
            + Failures.detail(listed.result()));
      } else {
        projections = projectionLag(json(listed.result()));
        problem = projections.isPresent() ? Optional.empty() : Optional.of("GET /api/admin/projections listed no lags");
      }
      OptionalLong relay = ready.succeeded() ? relayLag(json(ready.result())) : OptionalLong.empty();
      return Future.succeededFuture(new NodeLag(projections, relay, problem));
    });
  }

  @Override
  public void close() {
    api.close();
  }

  /** @return the sum of the {@code lag} of every projection in a {@code GET /api/admin/projections} answer */
  static OptionalLong projectionLag(JsonObject listing) {
    JsonArray projections = listing.getJsonArray("projections");
    if (projections == null || projections.isEmpty()) {
      return OptionalLong.empty();
    }
    long sum = 0;
    for (Object projection : projections) {
      if (!(projection instanceof JsonObject status) || !(status.getValue("lag") instanceof Number lag)) {
        return OptionalLong.empty();
      }
      sum += lag.longValue();
    }
    return OptionalLong.of(sum);
  }

  /** @return the {@code lag} of the relay's check in a {@code GET /health/ready} answer with the checks' detail */
  static OptionalLong relayLag(JsonObject readiness) {
    JsonArray checks = readiness.getJsonArray("checks", new JsonArray());
    return checks.stream()
        .filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
        .filter(check -> ServiceCatalogue.RELAY.equals(check.getString("name")))
        .filter(check -> check.getValue("lag") instanceof Number)
        .mapToLong(check -> check.getLong("lag"))
        .findFirst();
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }
}
