package io.herald.api;

import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerSubscription;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.UserRegistered;
import io.herald.store.pg.FreshSchema;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /api/dead-letters} over real HTTP: a consumer group of the node fails on a user's registration until it is
 * told to recover; its dead letter is listed, redriven (refused while it still fails), and deleted.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@DisplayName("Dead letters API")
class DeadLettersApiIT {

  abstract static class Contract {

    private ApiNode api;

    abstract List<String> profiles();

    abstract Map<String, String> settings();

    void afterNode() {
    }

    @BeforeAll
    void start() {
      Map<String, String> settings = new java.util.HashMap<>(settings());
      settings.put("delivery.maxAttempts", "2");
      settings.put("delivery.retryBaseMs", "10");
      settings.put("delivery.retryCapMs", "20");
      api = ApiNode.start(profiles(), settings);
    }

    @AfterAll
    void stop() {
      if (api != null) {
        api.close();
      }
      afterNode();
    }

    @Test
    @DisplayName("a failing group's event is listed with its payload and error, redriven once fixed, then gone")
    void listRedriveDelete() {
      String group = "crm-" + UUID.randomUUID();
      AtomicBoolean crmUp = new AtomicBoolean(false);
      List<String> synced = new CopyOnWriteArrayList<>();
      BrokerSubscription crm = Futures.await(api.node().context().consumers().atLeastOnce(group, List.of("user.registered"),
          (RecordedEvent event) -> {
            if (!crmUp.get()) {
              return Future.failedFuture(new IllegalStateException("CRM answered 502"));
            }
            synced.add(((UserRegistered) event.data()).userId());
            return Future.succeededFuture();
          }));
      try {
        String userId = api.registerUser().userId();
        JsonArray letters = eventually(() -> api.getOk("/api/dead-letters?consumer=" + group).getJsonArray("deadLetters"),
            list -> list.size() == 1);
        JsonObject letter = letters.getJsonObject(0);
        assertThat(letter.getString("consumer")).isEqualTo(group);
        assertThat(letter.getString("eventType")).isEqualTo("user.registered");
        assertThat(letter.getInteger("attempts")).isEqualTo(2);
        assertThat(letter.getString("lastError")).isEqualTo("CRM answered 502");
        assertThat(letter.getString("payload")).contains(userId);
        assertThat(letter.getString("firstFailedAt")).isNotBlank();
        String id = letter.getString("id");

        JsonObject stillDown = problem(api.post("/api/dead-letters/" + id + "/redrive"), 422);
        assertThat(stillDown.getString("detail")).contains("CRM answered 502");
        assertThat(api.getOk("/api/dead-letters?consumer=" + group).getJsonArray("deadLetters").getJsonObject(0)
            .getInteger("redrives")).isEqualTo(1);

        crmUp.set(true);
        assertThat(api.post("/api/dead-letters/" + id + "/redrive").statusCode()).isEqualTo(200);
        assertThat(synced).containsExactly(userId);
        assertThat(api.getOk("/api/dead-letters?consumer=" + group).getJsonArray("deadLetters")).isEmpty();
        problem(api.post("/api/dead-letters/" + id + "/redrive"), 404);
      } finally {
        Futures.await(crm.close());
      }
    }

    @Test
    @DisplayName("delete removes a dead letter; unknown ids are 404, malformed ones 400; a group that runs nowhere is 503")
    void deleteAndErrors() {
      String group = "erp-" + UUID.randomUUID();
      BrokerSubscription erp = Futures.await(api.node().context().consumers().atLeastOnce(group, List.of("user.registered"),
          (RecordedEvent event) -> Future.failedFuture(new IllegalStateException("ERP rejected the customer"))));
      api.registerUser();
      JsonArray letters = eventually(() -> api.getOk("/api/dead-letters?consumer=" + group).getJsonArray("deadLetters"),
          list -> list.size() == 1);
      String id = letters.getJsonObject(0).getString("id");
      Futures.await(erp.close());

      assertThat(problem(api.post("/api/dead-letters/" + id + "/redrive"), 503).getString("detail"))
          .contains("'" + group + "' is not running");
      assertThat(api.send(api.request(HttpMethod.DELETE, "/api/dead-letters/" + id)).statusCode()).isEqualTo(204);
      problem(api.send(api.request(HttpMethod.DELETE, "/api/dead-letters/" + id)), 404);
      problem(api.post("/api/dead-letters/" + UUID.randomUUID() + "/redrive"), 404);
      problem(api.post("/api/dead-letters/not-a-uuid/redrive"), 400);
      problem(api.get("/api/dead-letters?limit=0"), 400);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("embedded")
  class Embedded extends Contract {

    @Override
    List<String> profiles() {
      return List.of();
    }

    @Override
    Map<String, String> settings() {
      return Map.of();
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("postgres")
  class Postgres extends Contract {

    private final FreshSchema schema = new FreshSchema("dead_letters_api");

    @Override
    List<String> profiles() {
      return List.of("postgres");
    }

    @Override
    Map<String, String> settings() {
      return Map.of("store.type", "postgres", "store.postgres.schema", schema.options().schema());
    }

    @Override
    void afterNode() {
      schema.drop();
    }
  }
}
