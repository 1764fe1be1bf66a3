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
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The unknown outcomes on PostgreSQL, with a real cause of a slow order: a transaction of the test holds the first
 * row of the order's stream, so the order service's append waits on PostgreSQL's unique index until it ends.
 */
@DisplayName("Unknown outcomes of keyed orders on a PostgreSQL node")
class PostgresUnknownOutcomeIT extends UnknownOutcomeContract {

  private static final long COMMAND_TIMEOUT_MS = 1_500;

  private final FreshSchema schema = new FreshSchema("unknown_outcome_it");

  @Override
  protected List<String> profiles() {
    return List.of("postgres");
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("store.type", "postgres", "store.postgres.schema", schema.options().schema(),
        "api.commandTimeoutMs", String.valueOf(COMMAND_TIMEOUT_MS));
  }

  @Override
  protected void afterNode() {
    schema.drop();
  }

  @Test
  @DisplayName("a slow order: 504, then 409 in progress naming the key while it runs, then 202 with the same order; one order in all")
  void slowOrder() {
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

      JsonObject timedOut = problem(placeWithKey(key, body), 504);
      assertThat(timedOut.getString("detail")).contains(key);

      JsonObject inProgress = problem(placeWithKey(key, body), 409);
      assertThat(inProgress.getString("detail")).contains(key).contains("still being processed");
      assertThat(ordersCreated(user.userId())).isEmpty();

      Futures.await(held.rollback());   // the order service's append goes on now
      Futures.await(lock.close());

      HttpResponse<Buffer> done = ApiNode.eventually(() -> placeWithKey(key, body), r -> r.statusCode() != 409);
      JsonObject placed = accepted(done);
      assertThat(placed.getString("orderId")).isEqualTo(orderId);
      assertThat(done.getHeader("Location")).isEqualTo("/api/orders/" + orderId);
      assertThat(done.getHeader(REPLAYED)).isEqualTo("true");

      HttpResponse<Buffer> replayed = placeWithKey(key, body);
      assertThat(accepted(replayed).getString("orderId")).isEqualTo(orderId);
      List<JsonObject> created = ordersCreated(user.userId());
      assertThat(created).hasSize(1);
      assertThat(created.get(0).getString("subject")).isEqualTo(orderId);
    } finally {
      Futures.await(vertx.close());
    }
  }
}
