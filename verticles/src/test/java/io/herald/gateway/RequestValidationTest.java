package io.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Request validation with validators built once: over HTTP, every request gets the same answer, problem and field as
 * from the router builder's own validation of the same contract, and the handlers see the same validated values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("Request validation")
class RequestValidationTest {

  private Vertx vertx;
  private OpenAPIContract contract;
  private HttpServer builtIn;
  private HttpServer prebuilt;
  private WebClient client;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    contract = ApiContract.load(vertx).await();
    builtIn = serve(route -> { });
    RequestValidation validation = new RequestValidation(vertx, contract);
    prebuilt = serve(validation::guard);
    client = WebClient.create(vertx);
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  /** A server for the whole contract whose handlers echo what validation handed them, and failures as problems. */
  private HttpServer serve(Consumer<OpenAPIRoute> guard) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder.rootHandler(BodyHandler.create(false));
    for (OpenAPIRoute route : builder.getRoutes()) {
      // validation only: the contract's bearer scheme is enforced by the gateway's own handler, not the builder's
      route.setDoSecurity(false);
      guard.accept(route);
      route.addHandler(rc -> {
        ValidatedRequest validated = rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
        rc.response().setStatusCode(200);
        rc.json(new JsonObject()
            .put("eventLoop", Context.isOnEventLoopThread())
            .put("path", values(validated.getPathParameters()))
            .put("query", values(validated.getQuery()))
            .put("headers", values(validated.getHeaders()))
            .put("body", validated.getBody() == null ? null : validated.getBody().get()));
      });
    }
    Router router = builder.createRouter();
    router.route().failureHandler(rc -> {
      FailureTranslator.Problem problem = FailureTranslator.translate(rc.failure(), rc.statusCode());
      rc.response().setStatusCode(problem.status());
      rc.json(new JsonObject().put("detail", problem.detail()).put("field", problem.field()));
    });
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  private static JsonObject values(Map<String, io.vertx.openapi.validation.RequestParameter> parameters) {
    JsonObject json = new JsonObject();
    parameters.forEach((name, value) -> json.put(name, value == null ? null : value.get()));
    return json;
  }

  private static JsonObject order() {
    return new JsonObject()
        .put("userId", "u-1")
        .put("items", new JsonArray().add(new JsonObject().put("sku", "sku-1").put("quantity", 2).put("unitPrice", "19.90")))
        .put("shippingAddress", new JsonObject().put("street", "1 Main St").put("city", "Springfield")
            .put("postalCode", "12345").put("country", "US"))
        .put("payment", new JsonObject().put("token", "tok_visa"));
  }

  /** One request: method, URI, optional headers and body (a JSON value, or raw text sent as application/json). */
  private record Call(HttpMethod method, String uri, Map<String, String> headers, Object body) {

    Call(HttpMethod method, String uri) {
      this(method, uri, Map.of(), null);
    }

    Call(HttpMethod method, String uri, Object body) {
      this(method, uri, Map.of(), body);
    }
  }

  private HttpResponse<Buffer> send(HttpServer server, Call call) {
    HttpRequest<Buffer> request = client.request(call.method(), server.actualPort(), "127.0.0.1", call.uri());
    call.headers().forEach(request::putHeader);
    if (call.body() == null) {
      return request.send().await();
    }
    request.putHeader("Content-Type", "application/json");
    return request.sendBuffer(call.body() instanceof String text ? Buffer.buffer(text) : Buffer.buffer(String.valueOf(call.body()))).await();
  }

  private static List<Call> calls() {
    JsonObject numericPrice = order();
    numericPrice.getJsonArray("items").getJsonObject(0).put("unitPrice", 19.9);
    JsonObject noAddress = order();
    noAddress.remove("shippingAddress");
    JsonObject zero = order();
    zero.getJsonArray("items").getJsonObject(0).put("quantity", 0);
    return List.of(
        new Call(HttpMethod.POST, "/api/orders", order()),
        new Call(HttpMethod.POST, "/api/orders", Map.of("Idempotency-Key", "k-1"), order()),
        new Call(HttpMethod.POST, "/api/orders", Map.of("Idempotency-Key", "x".repeat(201)), order()),
        new Call(HttpMethod.POST, "/api/orders", numericPrice),
        new Call(HttpMethod.POST, "/api/orders", noAddress),
        new Call(HttpMethod.POST, "/api/orders", zero),
        new Call(HttpMethod.POST, "/api/orders", order().put("discount", "100%")),
        new Call(HttpMethod.POST, "/api/orders", "{\"userId\": "),
        new Call(HttpMethod.POST, "/api/orders"),
        new Call(HttpMethod.POST, "/api/users", new JsonObject().put("email", "not-an-email").put("username", "x")),
        new Call(HttpMethod.POST, "/api/users", new JsonObject().put("email", "ada@example.org").put("username", "ada")),
        new Call(HttpMethod.GET, "/api/orders?status=LOST"),
        new Call(HttpMethod.GET, "/api/orders?userId=u-1&status=PENDING"),
        new Call(HttpMethod.GET, "/api/orders/o-1?minPosition=-1"),
        new Call(HttpMethod.GET, "/api/orders/o-1?minPosition=12"),
        new Call(HttpMethod.GET, "/api/events?from=0"),
        new Call(HttpMethod.GET, "/api/events?from=3&limit=abc"),
        new Call(HttpMethod.GET, "/api/events?from=3&limit=10"),
        new Call(HttpMethod.GET, "/api/dead-letters/not-a-uuid"));
  }

  @Test
  @DisplayName("answers every request as the router builder's own validation does: status, problem, field and values")
  void sameAnswers() {
    int refused = 0;
    for (Call call : calls()) {
      HttpResponse<Buffer> expected = send(builtIn, call);
      HttpResponse<Buffer> actual = send(prebuilt, call);

      assertThat(actual.statusCode()).as("status of %s %s", call.method(), call.uri()).isEqualTo(expected.statusCode());
      assertThat(actual.bodyAsJsonObject()).as("answer to %s %s", call.method(), call.uri())
          .isEqualTo(expected.bodyAsJsonObject());
      refused += actual.statusCode() == 400 ? 1 : 0;
    }
    // the list holds both kinds: the comparison above is not between two servers that accept everything
    assertThat(refused).isBetween(8, calls().size() - 5);
  }

  @Test
  @DisplayName("refuses a bad order with the field and the rule it broke, and hands the handler a valid one on its event loop")
  void refusesAndAccepts() {
    JsonObject zero = order();
    zero.getJsonArray("items").getJsonObject(0).put("quantity", 0);

    HttpResponse<Buffer> refused = send(prebuilt, new Call(HttpMethod.POST, "/api/orders", zero));
    HttpResponse<Buffer> accepted = send(prebuilt, new Call(HttpMethod.POST, "/api/orders", order()));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("items[0].quantity");
    assertThat(refused.bodyAsJsonObject().getString("detail")).startsWith("items[0].quantity: ");
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.bodyAsJsonObject().getBoolean("eventLoop")).isTrue();
    assertThat(accepted.bodyAsJsonObject().getJsonObject("body")).isEqualTo(order());
  }

  @Test
  @DisplayName("builds one validator per request schema, up front, and hands out that same one on every request")
  void validatorsBuiltOnce() {
    PrebuiltContract prebuiltContract = new PrebuiltContract(contract);
    PrebuiltSchemas schemas = prebuiltContract.getSchemaRepository();

    int checked = 0;
    for (Operation operation : prebuiltContract.operations()) {
      for (Parameter parameter : operation.getParameters()) {
        Validator first = schemas.validator(parameter.getSchema());
        assertThat(schemas.validator(parameter.getSchema())).as(operation.getOperationId() + " " + parameter.getName())
            .isSameAs(first);
        checked++;
      }
      if (operation.getRequestBody() != null) {
        var schema = operation.getRequestBody().getContent().get("application/json").getSchema();
        assertThat(schemas.validator(schema)).as(operation.getOperationId() + " body").isSameAs(schemas.validator(schema));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(schemas.size()).isPositive().isLessThanOrEqualTo(checked);
  }
}
