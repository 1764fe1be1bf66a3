package io.herald.api;

import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.orderBody;
import static io.herald.api.ApiNode.problem;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.User;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** store.maxEventBytes over real HTTP: a command whose event would be larger is refused before anything is stored. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The store's event size limit, through the API")
class EventSizeLimitIT {

  private static final int LIMIT = 1_200;

  private static ApiNode api;
  private static User user;

  @BeforeAll
  static void start() {
    api = ApiNode.start(List.of(), Map.of("store.maxEventBytes", Integer.toString(LIMIT)));
    user = api.registerUser();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  @DisplayName("an order whose event is over store.maxEventBytes (its body within the body limit) is 422 naming the size and the limit; a small one is accepted")
  void oversizedEventIs422() {
    JsonObject[] lines = new JsonObject[16];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = line(unique("SKU-LONG-NAME"), 1, "1.00");
    }
    JsonObject body = orderBody(user.userId(), "tok_visa", lines);
    assertThat(body.encode().length()).as("within api.bodyLimitBytes").isLessThan(2048);

    JsonObject problem = problem(api.post("/api/orders", body), 422);

    assertThat(problem.getString("detail")).contains("order.").contains("bytes, over the store's limit of " + LIMIT)
        .contains("store.maxEventBytes");
    assertThat(api.post("/api/orders", orderBody(user.userId(), "tok_visa", line(unique("SKU"), 1, "1.00"))).statusCode())
        .isEqualTo(202);
  }
}
