package io.herald.gateway;

import io.herald.command.CommandFailedException;
import io.herald.command.CommandFailure;
import io.herald.contract.ServiceAddresses;
import io.herald.delivery.DeadLetters;
import io.herald.event.CloudEventJson;
import io.herald.event.RecordedEvent;
import io.herald.gateway.auth.Access;
import io.herald.gateway.auth.OperationAccess;
import io.herald.gateway.auth.WriteRateLimiter;
import io.herald.projection.ProjectionState;
import io.herald.projection.ProjectionStatus;
import io.herald.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The public API under {@code /api}, built from the OpenAPI contract: every request is validated against it before
 * a handler runs ({@link RequestValidation}). Commands and queries go to the owning service on the event bus; event reads go to the store;
 * POSTs with an {@code Idempotency-Key} go through {@link IdempotentCommands}.
 */
final class ApiRoutes {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApiRoutes.class);

  /** The header alternative to the {@code minPosition} query parameter. */
  static final String MIN_POSITION_HEADER = "Min-Position";
  private static final int DEFAULT_PAGE = 100;

  private final ServiceContext ctx;
  private final DeadLetters deadLetters;
  private final CloudEventJson cloudEvents;
  private final IdempotentCommands idempotent;
  private final BackpressureGate gate;
  private final Access access;
  private final WriteRateLimiter writes;

  ApiRoutes(ApiServices api, Access access) {
    this.writes = api.writeRateLimiter();
    this.access = Objects.requireNonNull(access, "access");
    this.ctx = Objects.requireNonNull(api, "api").services();
    this.deadLetters = api.deadLetters();
    this.cloudEvents = new CloudEventJson(ctx.events());
    this.idempotent = new IdempotentCommands(api.idempotency());
    this.gate = new BackpressureGate(ctx.vertx(), ctx.config().backpressure());
  }

  /** The routes of every operation in the contract, with body limit and content-type checks in front. */
  RouterBuilder build(OpenAPIContract contract) {
    RouterBuilder builder = RouterBuilder.create(ctx.vertx(), contract, RequestExtractor.withBodyHandler());
    gate.listen();
    // the token first: a caller without one gets 401 before its body is looked at, read or validated
    builder.rootHandler(new OperationAccess(contract, access, writes));
    builder.rootHandler(new JsonBodyRequired());
    // the contract's security requirements are enforced above, with problem+json refusals, not by the builder
    builder.getRoutes().forEach(route -> route.setDoSecurity(false));
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(ctx.config().api().bodyLimitBytes()));
    // every operation is checked against the contract before the handlers registered below
    RequestValidation validation = new RequestValidation(ctx.vertx(), contract);
    builder.getRoutes().forEach(validation::guard);

    on(builder, "registerUser", rc -> idempotent.run(rc, () -> send(ServiceAddresses.USER, "register", body(rc))
        .map(r -> Reply.accepted(r, "/api/users/" + r.getString("userId")))));
    on(builder, "getUser", rc -> query(rc, ServiceAddresses.USER, "get", read(rc).put("userId", path(rc, "id"))));

    idempotent.settledBy("POST /api/orders", this::placedOrder);
    // a new order is the work that queues behind busy services: shed it at the edge while one is past its bound
    on(builder, "placeOrder", rc -> idempotent.run(rc,
        () -> send(ServiceAddresses.ORDER, "create", keyedBody(rc)).map(ApiRoutes::orderPlaced), gate));
    on(builder, "listOrders", rc -> query(rc, ServiceAddresses.ORDER, "list", read(rc)
        .put("userId", queryString(rc, "userId")).put("status", queryString(rc, "status"))));
    on(builder, "getOrder", rc -> query(rc, ServiceAddresses.ORDER, "get", read(rc).put("orderId", path(rc, "id"))));
    on(builder, "payOrder", rc -> orderCommand(rc, "pay", new JsonObject()));
    on(builder, "shipOrder", rc -> orderCommand(rc, "ship", new JsonObject()));
    on(builder, "cancelOrder", rc -> orderCommand(rc, "cancel", body(rc)));

    on(builder, "setStock", rc -> respond(rc, send(ServiceAddresses.INVENTORY, "set",
        body(rc).put("sku", path(rc, "sku"))).map(r -> Reply.accepted(r, "/api/inventory/" + r.getString("sku")))));
    on(builder, "getStock", rc -> query(rc, ServiceAddresses.INVENTORY, "get", read(rc).put("sku", path(rc, "sku"))));

    on(builder, "getAnalytics", rc -> query(rc, ServiceAddresses.ANALYTICS, "summary", read(rc)));
    on(builder, "getLeads", rc -> query(rc, ServiceAddresses.ANALYTICS, "leads", read(rc)));
    on(builder, "getAudit", rc -> query(rc, ServiceAddresses.AUDIT, "list", read(rc)
        .put("from", queryLong(rc, "from")).put("limit", queryLong(rc, "limit"))));
    on(builder, "getNotifications", rc -> query(rc, ServiceAddresses.NOTIFICATION, "list", read(rc).put("to", queryString(rc, "to"))));

    on(builder, "getSaga", rc -> query(rc, ServiceAddresses.SAGA, "get", new JsonObject().put("sagaId", path(rc, "id"))));
    on(builder, "listSagas", rc -> query(rc, ServiceAddresses.SAGA, "list", new JsonObject()
        .put("orderId", queryString(rc, "orderId")).put("status", queryString(rc, "status"))
        .put("limit", queryLong(rc, "limit"))));
    on(builder, "listBreakers", rc -> query(rc, ServiceAddresses.SAGA, "breakers", new JsonObject()));

    on(builder, "getStreamEvents", this::streamEvents);
    on(builder, "getEvents", this::allEvents);
    on(builder, "listProjections", this::projections);
    on(builder, "rebuildProjection", this::rebuild);
    new DeadLetterRoutes(deadLetters).register(builder);
    return builder;
  }

  static void on(RouterBuilder builder, String operationId, java.util.function.Consumer<RoutingContext> handler) {
    builder.getRoute(operationId).addHandler(handler::accept);
  }

  // ---- commands and queries on the event bus

  private Future<JsonObject> send(String address, String action, JsonObject message) {
    return ctx.commands().request(address, action, message);
  }

  /** The body with the request's Idempotency-Key, from which the order service derives the order id. */
  private static JsonObject keyedBody(RoutingContext rc) {
    return IdempotentCommands.keyed(rc, body(rc));
  }

  private static Reply orderPlaced(JsonObject placed) {
    return Reply.accepted(placed, "/api/orders/" + placed.getString("orderId"));
  }

  /** The answer to an order placed with an Idempotency-Key whose reply was lost, once the order is stored. */
  private Future<Optional<Reply>> placedOrder(RoutingContext rc) {
    JsonObject query = IdempotentCommands.keyed(rc, new JsonObject().put("userId", body(rc).getString("userId")));
    return send(ServiceAddresses.ORDER, "findCreated", query)
        .map(placed -> Optional.of(orderPlaced(placed)))
        .recover(err -> err instanceof CommandFailedException failed && failed.failure() == CommandFailure.NOT_FOUND
            ? Future.succeededFuture(Optional.empty())
            : Future.failedFuture(err));
  }

  private void orderCommand(RoutingContext rc, String action, JsonObject message) {
    String orderId = path(rc, "id");
    idempotent.run(rc, () -> send(ServiceAddresses.ORDER, action, message.put("orderId", orderId))
        .map(r -> Reply.accepted(r.put("orderId", orderId), "/api/orders/" + orderId)));
  }

  private void query(RoutingContext rc, String address, String action, JsonObject message) {
    message.fieldNames().removeIf(name -> message.getValue(name) == null);
    respond(rc, send(address, action, message).map(Reply::ok));
  }

  static void respond(RoutingContext rc, Future<Reply> reply) {
    reply.onSuccess(r -> r.send(rc)).onFailure(rc::fail);
  }

  // ---- reads straight from the store

  private void streamEvents(RoutingContext rc) {
    String streamId = path(rc, "streamId");
    long fromVersion = queryLong(rc, "fromVersion") == null ? 1 : queryLong(rc, "fromVersion");
    respond(rc, ctx.store().readStream(streamId, fromVersion).compose(events -> {
      if (events.isEmpty() && fromVersion == 1) {
        return Future.failedFuture(CommandFailedException.notFound("stream " + streamId + " not found"));
      }
      long next = events.isEmpty() ? fromVersion : events.get(events.size() - 1).version() + 1;
      return Future.succeededFuture(Reply.ok(page(events, next)));
    }));
  }

  private void allEvents(RoutingContext rc) {
    long from = queryLong(rc, "from") == null ? 1 : queryLong(rc, "from");
    int limit = queryLong(rc, "limit") == null ? DEFAULT_PAGE : queryLong(rc, "limit").intValue();
    respond(rc, ctx.store().readAll(from, limit).map(page -> Reply.ok(page(page.events(), page.next()))));
  }

  private JsonObject page(List<RecordedEvent> events, long next) {
    JsonArray encoded = new JsonArray();
    events.forEach(e -> encoded.add(cloudEvents.encode(e)));
    return new JsonObject().put("events", encoded).put("next", next);
  }

  // ---- projections admin

  private void projections(RoutingContext rc) {
    respond(rc, ctx.projections().statuses().map(all -> Reply.ok(new JsonObject()
        .put("projections", new JsonArray(all.stream().map(ProjectionStatus::toJson).toList())))));
  }

  private void rebuild(RoutingContext rc) {
    String name = path(rc, "name");
    respond(rc, ctx.projections().find(name)
        .map(runner -> {
          if (runner.state() == ProjectionState.STOPPED || runner.state() == ProjectionState.STANDBY) {
            // on a store shared by several nodes, only the holder of the projection's writer role applies events
            return Future.<Reply>failedFuture(CommandFailedException.conflict("projection " + name
                + " is not applied by this node (another node holds its writer role): rebuild it there"));
          }
          runner.rebuild().onFailure(err -> log.error("rebuild of projection '{}' failed", name, err));
          return runner.status().map(status -> new Reply(202, status.toJson(), null));
        })
        .orElseGet(() -> Future.failedFuture(CommandFailedException.notFound("projection " + name + " not found (known: "
            + String.join(", ", ctx.projections().names()) + ")"))));
  }

  // ---- request parts, as validated against the contract

  private static ValidatedRequest validated(RoutingContext rc) {
    return rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  /** The validated JSON body, or an empty object when the operation's body is optional and none was sent. */
  private static JsonObject body(RoutingContext rc) {
    RequestParameter body = validated(rc).getBody();
    return body == null || body.isNull() || body.isEmpty() ? new JsonObject() : body.getJsonObject().copy();
  }


  static String path(RoutingContext rc, String name) {
    return validated(rc).getPathParameters().get(name).getString();
  }

  static String queryString(RoutingContext rc, String name) {
    RequestParameter p = validated(rc).getQuery().get(name);
    return p == null || p.isNull() || p.isEmpty() ? null : String.valueOf(p.get());
  }

  static Long queryLong(RoutingContext rc, String name) {
    RequestParameter p = validated(rc).getQuery().get(name);
    return p == null || p.isNull() || p.isEmpty() ? null : ((Number) p.get()).longValue();
  }

  /** A query's common part: the position to wait for, from {@code ?minPosition=} or the {@value #MIN_POSITION_HEADER} header. */
  private static JsonObject read(RoutingContext rc) {
    Long min = queryLong(rc, "minPosition");
    String header = rc.request().getHeader(MIN_POSITION_HEADER);
    if (min == null && header != null) {
      try {
        min = Long.parseLong(header.trim());
      } catch (NumberFormatException e) {
        throw new ProblemException(400, MIN_POSITION_HEADER + ": '" + header + "' is not a whole number", MIN_POSITION_HEADER);
      }
      if (min < 0) {
        throw new ProblemException(400, MIN_POSITION_HEADER + ": must be at least 0", MIN_POSITION_HEADER);
      }
    }
    return new JsonObject().put("minPosition", min);
  }

  /** What a handler answers: status, JSON body and an optional Location. */
  record Reply(int status, JsonObject body, String location) {

    static Reply ok(JsonObject body) {
      return new Reply(200, body, null);
    }

    static Reply accepted(JsonObject body, String location) {
      return new Reply(202, body, location);
    }

    JsonObject toJson() {
      return new JsonObject().put("status", status).put("body", body).put("location", location);
    }

    static Reply fromJson(JsonObject json) {
      return new Reply(json.getInteger("status"), json.getJsonObject("body"), json.getString("location"));
    }

    void send(RoutingContext rc) {
      if (location != null) {
        rc.response().putHeader("Location", location);
      }
      rc.response().setStatusCode(status);
      rc.json(body);
    }
  }
}
