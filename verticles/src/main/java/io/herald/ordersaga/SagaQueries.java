package io.herald.ordersaga;

import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailedException;
import io.herald.contract.ServiceAddresses;
import io.herald.saga.SagaState;
import io.herald.saga.SagaStatus;
import io.herald.saga.SagaStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The saga service's queries on {@value ServiceAddresses#SAGA}, the same in both modes: {@code get {sagaId}},
 * {@code list {orderId?, status?, limit?}} and {@code breakers}.
 */
final class SagaQueries {

  static final int DEFAULT_LIMIT = 100;

  private final SagaStore sagas;
  private final Supplier<JsonArray> breakers;

  SagaQueries(SagaStore sagas, Supplier<JsonArray> breakers) {
    this.sagas = sagas;
    this.breakers = breakers;
  }

  Future<MessageConsumer<JsonObject>> listen(Vertx vertx) {
    return CommandEndpoint.on(vertx, ServiceAddresses.SAGA)
        .action("get", this::get)
        .action("list", this::list)
        .action("breakers", q -> Future.succeededFuture(new JsonObject().put("breakers", breakers.get())))
        .listen();
  }

  private Future<JsonObject> get(JsonObject query) {
    String id = io.herald.command.Fields.text(query, "sagaId");
    return sagas.get(id).compose(found -> found.isPresent()
        ? Future.succeededFuture(view(found.get()))
        : Future.failedFuture(CommandFailedException.notFound("saga " + id + " not found")));
  }

  private Future<JsonObject> list(JsonObject query) {
    SagaStatus status;
    try {
      status = query.getString("status") == null ? null : SagaStatus.fromApiName(query.getString("status"));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(CommandFailedException.invalid("status: " + e.getMessage()));
    }
    return sagas.find(query.getString("orderId"), status, query.getInteger("limit", DEFAULT_LIMIT))
        .map(found -> {
          JsonArray all = new JsonArray();
          found.forEach(s -> all.add(view(s)));
          return new JsonObject().put("sagas", all);
        });
  }

  /** The API's view: the stored state without the engine's working data. */
  static JsonObject view(SagaState saga) {
    JsonObject json = saga.toJson();
    json.remove("data");
    if (json.getValue("reason") == null) {
      json.remove("reason");
    }
    if (json.getValue("step") == null) {
      json.remove("step");
    }
    return json;
  }
}
