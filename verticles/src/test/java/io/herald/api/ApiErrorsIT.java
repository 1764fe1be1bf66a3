package io.herald.api;

import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.orderBody;
import static io.herald.api.ApiNode.problem;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.User;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the API answers to requests it cannot serve, on an embedded node over real HTTP: always
 * {@code application/problem+json} with status, title and detail, and the {@code field} at fault when there is one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("API errors")
class ApiErrorsIT {

  private static ApiNode api;
  private static User user;

  @BeforeAll
  static void start() {
    api = ApiNode.start(List.of(), Map.of());
    user = api.registerUser();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static HttpResponse<Buffer> postRaw(String path, String contentType, String body) {
    return api.send(api.request(HttpMethod.POST, path).putHeader("Content-Type", contentType), Buffer.buffer(body));
  }

  private static JsonObject order() {
    return orderBody(user.userId(), "tok_visa", line(unique("SKU"), 1, "1.00"));
  }

  @Test
  @DisplayName("malformed JSON is 400")
  void malformedJson() {
    JsonObject problem = problem(postRaw("/api/users", "application/json", "{\"email\": \"a@b.org\", "), 400);

    assertThat(problem.getString("detail")).containsIgnoringCase("JSON");
  }

  @Test
  @DisplayName("a read waiting for a position nothing was written at is 400 naming minPosition and the last stored position")
  void minPositionBeyondTheStore() {
    ApiNode.User user = api.registerUser();
    JsonObject problem = problem(api.get("/api/users/" + user.userId() + "?minPosition=999999999"), 400);

    assertThat(problem.getString("detail")).contains("minPosition 999999999 is beyond the last stored event");
    assertThat(api.get("/api/users/" + user.userId() + "?minPosition=" + user.position()).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a missing required field is 400 naming it")
  void missingField() {
    JsonObject problem = problem(api.post("/api/users", new JsonObject().put("email", ApiNode.uniqueEmail())), 400);

    assertThat(problem.getString("field")).isEqualTo("username");
    assertThat(problem.getString("detail")).contains("username");
  }

  @Test
  @DisplayName("a quantity of 0 is 400 naming items[0].quantity")
  void zeroQuantity() {
    JsonObject body = order();
    body.getJsonArray("items").getJsonObject(0).put("quantity", 0);

    JsonObject problem = problem(api.post("/api/orders", body), 400);

    assertThat(problem.getString("field")).isEqualTo("items[0].quantity");
  }

  @Test
  @DisplayName("a price sent as a JSON number is 400 naming items[0].unitPrice: money is an exact decimal string")
  void priceAsNumber() {
    JsonObject body = order();
    body.getJsonArray("items").getJsonObject(0).put("unitPrice", 19.9);

    JsonObject problem = problem(api.post("/api/orders", body), 400);

    assertThat(problem.getString("field")).isEqualTo("items[0].unitPrice");
  }

  @Test
  @DisplayName("an unknown extra field is 400 naming it")
  void unknownField() {
    JsonObject problem = problem(api.post("/api/orders", order().put("coupon", "FREE")), 400);

    assertThat(problem.getString("detail")).contains("coupon");
  }

  @Test
  @DisplayName("an unknown order is 404, to a read and to a command")
  void unknownOrder() {
    String orderId = unique("ord");

    assertThat(problem(api.get("/api/orders/" + orderId), 404).getString("detail")).contains(orderId);
    assertThat(problem(api.post("/api/orders/" + orderId + "/pay"), 404).getString("detail")).contains(orderId);
  }

  @Test
  @DisplayName("a text/plain body is 415")
  void notJson() {
    JsonObject problem = problem(postRaw("/api/users", "text/plain", "email=a@b.org"), 415);

    assertThat(problem.getString("detail")).contains("text/plain");
  }

  @Test
  @DisplayName("a body over api.bodyLimitBytes is 413")
  void tooLarge() {
    JsonObject body = order();
    body.getJsonObject("shippingAddress").put("street", "x".repeat(3000));

    HttpResponse<Buffer> response = api.post("/api/orders", body);

    problem(response, 413);
  }

  @Test
  @DisplayName("an unknown status filter is 400 naming status")
  void bogusStatus() {
    JsonObject problem = problem(api.get("/api/orders?userId=" + user.userId() + "&status=bogus"), 400);

    assertThat(problem.getString("field")).isEqualTo("status");
    assertThat(problem.getString("detail")).contains("status");
  }

  @Test
  @DisplayName("an order for an unknown user is 404 naming the user")
  void unknownUser() {
    String userId = unique("usr");

    JsonObject problem = problem(api.post("/api/orders", orderBody(userId, "tok_visa")), 404);

    assertThat(problem.getString("detail")).contains(userId);
  }

  @Test
  @DisplayName("none of the refused orders was stored")
  void nothingStored() {
    zeroQuantity();
    priceAsNumber();
    unknownField();
    tooLarge();

    JsonArray orders = api.getOk("/api/orders?userId=" + user.userId() + "&minPosition=" + api.head()).getJsonArray("orders");

    assertThat(orders).isEmpty();
  }
}
