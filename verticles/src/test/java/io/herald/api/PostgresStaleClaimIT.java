package io.herald.api;

import static io.herald.api.ApiNode.accepted;
import static io.herald.api.ApiNode.orderBody;
import static io.herald.api.ApiNode.problem;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.order.OrderService;
import io.herald.store.pg.FreshSchema;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
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
 * A claim that goes stale while its command still runs: the retry runs the command a second time, beside the first.
 * Both append the same new order stream (the id derives from the key) at expected version 0, so PostgreSQL takes
 * one and the other is answered with that same order. Claims go stale as soon as the command timeout allows here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("A stale Idempotency-Key claim on a PostgreSQL node")
class PostgresStaleClaimIT {

  private static final long COMMAND_TIMEOUT_MS = 1_000;

  private final FreshSchema schema = new FreshSchema("stale_claim_it");
  private ApiNode api;

  @BeforeAll
  void startNode() {
    Map<String, String> settings = new HashMap<>(ApiNode.WITHOUT_SAGA);
    settings.put("store.type", "postgres");
    settings.put("store.postgres.schema", schema.options().schema());
    settings.put("api.commandTimeoutMs", String.valueOf(COMMAND_TIMEOUT_MS));
    settings.put("api.idempotencyStaleMs", String.valueOf(COMMAND_TIMEOUT_MS));
    api = ApiNode.start(List.of("postgres"), settings);
  }

  @AfterAll
  void stopNode() {
    try {
      if (api != null) {
        api.close();
      }
    } finally {
      schema.drop();
    }
  }

  private HttpResponse<Buffer> placeWithKey(String key, JsonObject body) {
    return api.send(api.request(HttpMethod.POST, "/api/orders").putHeader("Idempotency-Key", key), body);
  }

  @Test
  @DisplayName("two runs of one keyed order racing on the store make one order, and the retry answers with it")
  void racingRunsMakeOneOrder() {
    ApiNode.User user = api.registerUser();
    JsonObject body = orderBody(user.userId(), "tok_visa");
    String key = unique("key");
    String orderId = OrderService.keyedOrderId(user.userId(), key);

    Vertx vertx = Vertx.vertx();
    try {
      PgConnection lock = Futures.await(PgConnection.connect(vertx, schema.options().connectOptions()));
      Transaction held = Futures.await(lock.begin());
      Futures.await(lock.preparedQuery("INSERT INTO " + schema.options().schema() + ".events"
              + " (stream_id, version, event_id, type, schema_version, occurred_at, data, metadata)"
              + " VALUES ($1, 1, gen_random_uuid(), 'test.row-lock', 1, now(), '{}', '{}')")
          .execute(Tuple.of("order-" + orderId)));

      problem(placeWithKey(key, body), 504);
      // the first claim is stale by now (its command timed out): this retry runs the command a second time
      problem(placeWithKey(key, body), 504);
      assertThat(api.allEvents()).noneMatch(e -> orderId.equals(e.getString("subject")));

      Futures.await(held.rollback());   // both runs append now; the store takes one
      Futures.await(lock.close());

      HttpResponse<Buffer> done = ApiNode.eventually(() -> placeWithKey(key, body), r -> r.statusCode() != 409);
      assertThat(accepted(done).getString("orderId")).isEqualTo(orderId);
      assertThat(done.getHeader("Location")).isEqualTo("/api/orders/" + orderId);
      List<JsonObject> created = ApiNode.eventually(() -> api.allEvents().stream()
          .filter(e -> "order.created".equals(e.getString("type")))
          .filter(e -> user.userId().equals(e.getJsonObject("data").getString("userId")))
          .toList(), found -> !found.isEmpty());
      assertThat(created).hasSize(1);
      assertThat(created.get(0).getString("subject")).isEqualTo(orderId);
    } finally {
      Futures.await(vertx.close());
    }
  }
}
