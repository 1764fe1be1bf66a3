package io.herald.api;

import static io.herald.api.ApiNode.accepted;
import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.problem;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.Order;
import io.herald.api.ApiNode.User;
import io.herald.store.pg.FreshSchema;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node on PostgreSQL stopped and a new one started on the same schema: aggregates, read models and projection
 * checkpoints survive, and the read models resume from their checkpoints instead of applying events twice.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@DisplayName("A PostgreSQL node across a restart")
class PostgresRestartIT {

  private static final List<String> PROJECTIONS =
      List.of("users", "inventory", "order-users", "orders", "notifications", "analytics", "leads", "audit");

  private final FreshSchema schema = new FreshSchema("api_restart");
  private Vertx admin;
  private Pool sql;
  private ApiNode api;

  @BeforeEach
  void setUp() {
    admin = Vertx.vertx();
    sql = PgBuilder.pool().connectingTo(schema.options().connectOptions()).using(admin).build();
  }

  @AfterEach
  void tearDown() {
    try {
      if (api != null) {
        api.close();
      }
    } finally {
      Futures.await(sql.close());
      Futures.await(admin.close());
      schema.drop();
    }
  }

  private ApiNode startNode() {
    Map<String, String> settings = new HashMap<>(ApiNode.WITHOUT_SAGA);
    settings.put("store.postgres.schema", schema.options().schema());
    return ApiNode.start(List.of("postgres"), settings);
  }

  private List<Row> query(String sqlText) {
    List<Row> rows = new ArrayList<>();
    Futures.await(sql.query(sqlText).execute()).forEach(rows::add);
    return rows;
  }

  /** Waits until every projection is live and has applied everything stored. */
  private void settled(long head) {
    eventually(() -> api.getOk("/api/admin/projections").getJsonArray("projections"),
        all -> all.size() == PROJECTIONS.size() && all.stream().map(JsonObject.class::cast)
            .allMatch(p -> "live".equals(p.getString("state")) && p.getLong("checkpoint") >= head));
  }

  /** The positions of every audit entry, page by page. */
  private List<Long> auditPositions() {
    List<Long> positions = new ArrayList<>();
    long from = 1;
    while (true) {
      JsonObject page = api.getOk("/api/audit?from=" + from + "&limit=1000");
      JsonArray entries = page.getJsonArray("entries");
      if (entries.isEmpty()) {
        return positions;
      }
      entries.forEach(e -> positions.add(((JsonObject) e).getLong("position")));
      from = page.getLong("next");
    }
  }

  /** The positions of every stored event. */
  private List<Long> eventPositions() {
    List<Long> positions = new ArrayList<>();
    long from = 1;
    while (true) {
      JsonObject page = api.getOk("/api/events?from=" + from + "&limit=1000");
      JsonArray events = page.getJsonArray("events");
      if (events.isEmpty()) {
        return positions;
      }
      events.forEach(e -> positions.add(((JsonObject) e).getLong("position")));
      from = page.getLong("next");
    }
  }

  @Test
  @DisplayName("keeps users, orders, stock and checkpoints; resumes projections from their checkpoints; aggregates stay intact")
  void restart() {
    api = startNode();
    User user = api.registerUser();
    String sku = unique("SKU");
    Order order = api.placeOrder(user.userId(), "tok_visa", line(sku, 2, "19.90"), line(unique("SKU"), 1, "0.10"));
    long paid = api.orderCommand(order.orderId(), "pay");
    long stocked = accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", 10))).getLong("position");

    // the welcome and order emails are written by a broker consumer: wait for them, then for every read model
    eventually(() -> api.getOk("/api/notifications?to=" + user.email()).getJsonArray("notifications"), n -> n.size() == 2);
    long headBefore = api.head();
    settled(headBefore);
    JsonObject userBefore = api.getOk("/api/users/" + user.userId() + "?minPosition=" + user.position());
    JsonObject orderBefore = api.order(order.orderId(), paid);
    JsonObject stockBefore = api.getOk("/api/inventory/" + sku + "?minPosition=" + stocked);
    assertThat(orderBefore.getString("status")).isEqualTo("paid");
    assertThat(orderBefore.getString("total")).isEqualTo("39.90");
    assertThat(stockBefore).isEqualTo(new JsonObject().put("sku", sku).put("available", 10).put("reserved", 0));

    api.close();
    api = null;

    Map<String, Long> stored = new HashMap<>();
    query("SELECT name, position FROM " + schema.options().schema() + ".checkpoints")
        .forEach(row -> stored.put(row.getString("name"), row.getLong("position")));
    long documents = query("SELECT count(*) FROM " + schema.options().schema() + ".documents").get(0).getLong(0);
    assertThat(stored).containsKeys(PROJECTIONS.toArray(String[]::new));
    PROJECTIONS.forEach(name -> assertThat(stored.get(name)).as("stored checkpoint of %s", name).isEqualTo(headBefore));

    api = startNode();

    JsonArray projections = api.getOk("/api/admin/projections").getJsonArray("projections");
    assertThat(projections).hasSize(PROJECTIONS.size());
    for (Object p : projections) {
      JsonObject projection = (JsonObject) p;
      assertThat(projection.getLong("checkpoint")).as("checkpoint of %s after the restart", projection.getString("name"))
          .isGreaterThanOrEqualTo(stored.get(projection.getString("name")));
    }
    assertThat(api.getOk("/api/users/" + user.userId())).isEqualTo(userBefore);
    assertThat(api.getOk("/api/orders/" + order.orderId())).isEqualTo(orderBefore);
    assertThat(api.getOk("/api/inventory/" + sku)).isEqualTo(stockBefore);

    List<Long> events = eventPositions();
    assertThat(events).last().isEqualTo(headBefore);
    assertThat(auditPositions()).as("one audit entry per event, none twice").containsExactlyElementsOf(events);
    assertThat(query("SELECT count(*) FROM " + schema.options().schema() + ".documents").get(0).getLong(0))
        .as("documents after the restart").isEqualTo(documents);

    JsonObject payAgain = problem(api.post("/api/orders/" + order.orderId() + "/pay"), 409);
    assertThat(payAgain.getString("detail")).contains("already paid");
    assertThat(api.streamTypes("payment-pay-" + order.orderId())).containsExactly("payment.processed");

    Order next = api.placeOrder(user.userId(), "tok_visa", line(sku, 1, "5.00"));
    assertThat(api.order(next.orderId(), next.position()).getString("status")).isEqualTo("pending");
    long nextPaid = api.orderCommand(next.orderId(), "pay");
    assertThat(api.order(next.orderId(), nextPaid).getString("status")).isEqualTo("paid");
    assertThat(next.position()).isGreaterThan(headBefore);
  }
}
