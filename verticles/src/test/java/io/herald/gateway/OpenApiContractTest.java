package io.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The HTTP API's OpenAPI 3.1 contract: it parses, names every operation, and rejects what the API must refuse. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The OpenAPI contract")
class OpenApiContractTest {

  private Vertx vertx;
  private OpenAPIContract contract;
  private HttpServer server;
  private WebClient client;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    contract = ApiContract.load(vertx).await();
    RequestValidator validator = RequestValidator.create(vertx, contract);
    // a server that only validates, answering 204 or 400 with where the request broke the contract
    server = vertx.createHttpServer().requestHandler(request -> validator.validate(request)
        .onSuccess(ok -> request.response().setStatusCode(204).end())
        .onFailure(err -> {
          String where = err instanceof SchemaValidationException s && s.getOutputUnit() != null
              ? String.valueOf(s.getOutputUnit().getInstanceLocation()) + " " + s.getOutputUnit().getErrors()
              : "";
          request.response().setStatusCode(400).end(err.getMessage() + " | " + where);
        }))
        .listen(0, "127.0.0.1").await();
    client = WebClient.create(vertx);
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  private static JsonObject validOrder() {
    return new JsonObject()
        .put("userId", "u-1")
        .put("items", new JsonArray().add(new JsonObject().put("sku", "sku-1").put("quantity", 2).put("unitPrice", "19.90")))
        .put("shippingAddress", new JsonObject().put("street", "1 Main St").put("city", "Springfield")
            .put("postalCode", "12345").put("country", "US"))
        .put("payment", new JsonObject().put("token", "tok_visa"));
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) {
    return client.post(server.actualPort(), "127.0.0.1", path).sendJsonObject(body).await();
  }

  @Test
  @DisplayName("is OpenAPI 3.1 and declares every operation of the API")
  void declaresTheApi() {
    assertThat(contract.getVersion()).isEqualTo(OpenAPIVersion.V3_1);
    assertThat(contract.operations()).extracting(Operation::getOperationId).contains(
        "registerUser", "getUser", "placeOrder", "listOrders", "getOrder", "payOrder", "shipOrder", "cancelOrder",
        "setStock", "getStock", "getAnalytics", "getAudit", "getNotifications", "getLeads", "getStreamEvents",
        "getEvents", "listProjections", "rebuildProjection");
  }

  @Test
  @DisplayName("accepts a well-formed order")
  void acceptsOrder() {
    assertThat(post("/api/orders", validOrder()).statusCode()).isEqualTo(204);
  }

  @Test
  @DisplayName("refuses a price sent as a JSON number, naming the field")
  void refusesNumericPrice() {
    JsonObject order = validOrder();
    order.getJsonArray("items").getJsonObject(0).put("unitPrice", 19.9);

    HttpResponse<Buffer> response = post("/api/orders", order);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsString()).contains("unitPrice");
  }

  @Test
  @DisplayName("refuses an order without a shipping address, a zero quantity and an unknown field")
  void refusesBadOrders() {
    JsonObject noAddress = validOrder();
    noAddress.remove("shippingAddress");
    JsonObject zero = validOrder();
    zero.getJsonArray("items").getJsonObject(0).put("quantity", 0);
    JsonObject extra = validOrder().put("discount", "100%");

    assertThat(post("/api/orders", noAddress).statusCode()).isEqualTo(400);
    assertThat(post("/api/orders", zero).statusCode()).isEqualTo(400);
    assertThat(post("/api/orders", extra).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("refuses a user registration with a malformed email")
  void refusesBadEmail() {
    HttpResponse<Buffer> response = post("/api/users", new JsonObject().put("email", "not-an-email").put("username", "x"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(post("/api/users", new JsonObject().put("email", "ada@example.org").put("username", "ada")).statusCode())
        .isEqualTo(204);
  }
}
