package io.herald.api;

import static io.herald.api.ApiNode.accepted;
import static io.herald.api.ApiNode.orderBody;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.order.OrderService;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Orders placed with an {@code Idempotency-Key} whose first outcome the client never saw: a key whose record is
 * gone (expired here; stale after a crash alike) runs the command again, and the order id derived from the key makes
 * the store refuse a second order, so the retry is answered with the first one. Keys live one second on these nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class UnknownOutcomeContract {

  static final String KEY = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";

  protected ApiNode api;

  /** @return the config profiles the node starts with, none for the defaults */
  protected abstract List<String> profiles();

  /** @return config keys of this node beside the ones every node here has */
  protected abstract Map<String, String> settings();

  protected void afterNode() {
  }

  @BeforeAll
  void startNode() {
    Map<String, String> settings = new HashMap<>(ApiNode.WITHOUT_SAGA);
    settings.put("api.idempotencyTtlSeconds", "1");
    settings.putAll(settings());
    api = ApiNode.start(profiles(), settings);
  }

  @AfterAll
  void stopNode() {
    try {
      if (api != null) {
        api.close();
      }
    } finally {
      afterNode();
    }
  }

  HttpResponse<Buffer> placeWithKey(String key, JsonObject body) {
    return api.send(api.request(HttpMethod.POST, "/api/orders").putHeader(KEY, key), body);
  }

  /** The {@code order.created} events of one user in the store. */
  List<JsonObject> ordersCreated(String userId) {
    return api.allEvents().stream()
        .filter(e -> "order.created".equals(e.getString("type")))
        .filter(e -> userId.equals(e.getJsonObject("data").getString("userId")))
        .toList();
  }

  @Test
  @DisplayName("an order placed with a key takes its id from the user and the key")
  void orderIdFromKey() {
    ApiNode.User user = api.registerUser();
    String key = unique("key");

    JsonObject placed = accepted(placeWithKey(key, orderBody(user.userId(), "tok_visa")));

    assertThat(placed.getString("orderId")).isEqualTo(OrderService.keyedOrderId(user.userId(), key));
  }

  @Test
  @DisplayName("a key whose record is gone runs again: the store refuses a second order and the first one is answered")
  void runAgainAnswersTheFirstOrder() {
    ApiNode.User user = api.registerUser();
    JsonObject body = orderBody(user.userId(), "tok_visa");
    String key = unique("key");
    HttpResponse<Buffer> first = placeWithKey(key, body);
    JsonObject placed = accepted(first);

    // once the record has expired the retry is no replay: the order service runs the command again
    HttpResponse<Buffer> again = ApiNode.eventually(() -> placeWithKey(key, body), r -> r.getHeader(REPLAYED) == null);

    JsonObject answered = accepted(again);
    assertThat(answered.getString("orderId")).isEqualTo(placed.getString("orderId"));
    assertThat(answered.getLong("position")).isEqualTo(placed.getLong("position"));
    assertThat(again.getHeader("Location")).isEqualTo(first.getHeader("Location"));
    assertThat(ordersCreated(user.userId())).hasSize(1);
  }
}
