package io.herald.api;

import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.line;
import static io.herald.api.ApiNode.problem;
import static io.herald.api.ApiNode.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.User;
import io.herald.store.pg.FreshSchema;
import io.herald.testing.Futures;
import io.herald.testing.TcpProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The platform on PostgreSQL and a real broker ({@code --profile postgres,<broker>}), over real HTTP: events reach
 * the notification service through the broker, poison input on the broker becomes a dead letter while consuming
 * goes on, and a broker outage shows in readiness and loses nothing. The broker is reached through a TCP proxy
 * the test can cut, where the broker allows it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class BrokerFlowsContract {

  private static final int MAX_MESSAGE_BYTES = 65_536;

  private final FreshSchema schema = new FreshSchema("flows_" + profile());
  protected final String namespace = "f" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private Vertx vertx;
  private TcpProxy proxy;
  private ApiNode api;

  /** @return the broker's profile name: kafka, rabbitmq, redis, nats */
  protected abstract String profile();

  /** @return the broker's port on 127.0.0.1 */
  protected abstract int brokerPort();

  /** @return settings pointing the broker at {@code host:port}, in {@code namespace} */
  protected abstract Map<String, String> brokerSettings(String host, int port);

  /** Puts bytes where consumers of {@code type} read them, with the broker's own client. */
  protected abstract Future<Void> publishForeign(Vertx vertx, String aggregateType, String type, Buffer body);

  /** @return a proxy that alone stands between the node and the broker; by default in front of {@link #brokerPort()} */
  protected TcpProxy startProxy(Vertx vertx) {
    return Futures.await(TcpProxy.start(vertx, "127.0.0.1", brokerPort()));
  }

  protected void stopProxy(TcpProxy proxy) {
    Futures.await(proxy.close());
  }

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    proxy = startProxy(vertx);
    Map<String, String> settings = new HashMap<>(brokerSettings("127.0.0.1", proxy.port()));
    settings.put("store.postgres.schema", schema.options().schema());
    settings.put("delivery.maxAttempts", "2");
    settings.put("delivery.maxMessageBytes", String.valueOf(MAX_MESSAGE_BYTES));
    settings.put("delivery.retryBaseMs", "20");
    settings.put("delivery.retryCapMs", "50");
    settings.put("relay.retryCapMs", "1000");
    api = ApiNode.start(List.of("postgres", profile()), settings);
  }

  @AfterAll
  void stop() {
    if (api != null) {
      api.close();
    }
    if (proxy != null) {
      stopProxy(proxy);
    }
    Futures.await(vertx.close());
    schema.drop();
  }

  @Test
  void registrationAndOrderReachTheNotificationServiceThroughTheBroker() {
    assertThat(api.getOk("/health/ready").encode()).contains(profile());
    User user = api.registerUser();
    String sku = unique("SKU");
    api.put("/api/inventory/" + sku, new JsonObject().put("available", 10));
    String orderId = api.placeOrder(user.userId(), "tok_visa", line(sku, 1, "9.99")).orderId();

    JsonArray emails = eventually(() -> api.getOk("/api/notifications?to=" + user.email()).getJsonArray("notifications"),
        found -> found.size() == 2);
    List<String> templates = new ArrayList<>();
    emails.forEach(e -> templates.add(((JsonObject) e).getString("template")));
    assertThat(templates).containsExactlyInAnyOrder("welcome", "order-confirmation");
    assertThat(orderId).isNotBlank();
  }

  /** A CloudEvent for the notification group's {@code user.registered}, with one attribute set to {@code value}. */
  private static String cloudEvent(String marker, String attribute, Object value, String username) {
    JsonObject event = new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
        .put("source", "/a-third-party").put("type", "user.registered").put("time", "2026-01-01T00:00:00Z")
        .put("subject", marker).put("position", 5).put("streamid", "user-" + marker)
        .put("data", new JsonObject().put("userId", marker).put("email", marker + "@example.com").put("username", username));
    return (attribute == null ? event : event.put(attribute, value)).encode();
  }

  @Test
  @DisplayName("poison of every kind on the broker becomes a dead letter with its reason, and consuming goes on")
  void poisonOfEveryKindBecomesADeadLetterWithItsReason() {
    String m = unique("poison");
    // what each message is, and what its dead letter's reason must name
    Map<String, String> poison = new LinkedHashMap<>();
    poison.put("{\"not\": \"a cloud event\", \"marker\": \"" + m + "\"", "JSON");
    poison.put(cloudEvent(m + "-spec", "specversion", "0.3", "u"), "specversion");
    poison.put(cloudEvent(m + "-id", "id", "not-a-uuid", "u"), "id");
    poison.put(cloudEvent(m + "-time", "time", "yesterday", "u"), "time");
    poison.put(cloudEvent(m + "-type", "type", "user.teleported", "u"), "user.teleported");
    poison.put(cloudEvent(m + "-big", null, null, "x".repeat(MAX_MESSAGE_BYTES)), "delivery.maxMessageBytes");
    for (String body : poison.keySet()) {
      Futures.await(publishForeign(vertx, "user", "user.registered", Buffer.buffer(body)));
    }

    Map<String, JsonObject> letters = new HashMap<>();
    eventually(() -> {
      api.getOk("/api/dead-letters?consumer=notification&limit=1000").getJsonArray("deadLetters").stream()
          .map(JsonObject.class::cast).filter(l -> poison.containsKey(l.getString("payload")))
          .forEach(l -> letters.put(l.getString("payload"), l));
      return letters.size();
    }, found -> found == poison.size());
    poison.forEach((body, reason) -> {
      JsonObject letter = letters.get(body);
      assertThat(letter.getString("lastError")).as("the reason of %s", body.substring(0, Math.min(80, body.length())))
          .contains(reason);
      assertThat(letter.getInteger("attempts")).as("no handler ran").isZero();
    });

    User after = api.registerUser();
    eventually(() -> api.getOk("/api/notifications?to=" + after.email()).getJsonArray("notifications"), found -> found.size() == 1);
    for (String marker : List.of(m + "-spec", m + "-id", m + "-time", m + "-type", m + "-big")) {
      assertThat(api.getOk("/api/notifications?to=" + marker + "@example.com").getJsonArray("notifications"))
          .as("no email for poison %s", marker).isEmpty();
    }
    String notJson = poison.keySet().iterator().next();
    assertThat(problem(api.post("/api/dead-letters/" + letters.get(notJson).getString("id") + "/redrive"), 422)
        .getString("detail")).contains("still not an event");
  }

  @Test
  void anOutageShowsInReadinessAndLosesNothing() {
    proxy.cut();
    eventually(() -> api.get("/health/ready").statusCode(), status -> status == 503);
    assertThat(api.get("/health/ready").bodyAsString()).contains("broker");
    List<User> whileDown = List.of(api.registerUser(), api.registerUser(), api.registerUser());

    proxy.restore();
    eventually(() -> api.get("/health/ready").statusCode(), status -> status == 200);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(recoverySeconds());
    for (User user : whileDown) {
      while (api.getOk("/api/notifications?to=" + user.email()).getJsonArray("notifications").size() != 1) {
        assertThat(System.nanoTime()).as("the welcome email of %s, %d s after the broker returned", user.email(),
            recoverySeconds()).isLessThan(deadline);
        sleep(100);
      }
    }
  }

  @Test
  void aCutInTheMiddleOfASessionLosesNothing() {
    List<String> emails = new ArrayList<>();
    emails.add(api.registerUser().email());
    // registrations going on while the connection is cut: their events are on their way through the relay
    List<Future<io.vertx.ext.web.client.HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String email = ApiNode.uniqueEmail();
      emails.add(email);
      sent.add(api.postLater(i * 25L, "/api/users", new JsonObject().put("email", email).put("username", unique("name"))));
    }
    proxy.cut();
    eventually(() -> api.get("/health/ready").statusCode(), status -> status == 503);
    proxy.restore();
    eventually(() -> api.get("/health/ready").statusCode(), status -> status == 200);
    Futures.await(Future.join(sent));
    sent.forEach(response -> ApiNode.accepted(response.result()));
    emails.add(api.registerUser().email());

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(recoverySeconds());
    for (String email : emails) {
      while (api.getOk("/api/notifications?to=" + email).getJsonArray("notifications").size() != 1) {
        assertThat(System.nanoTime()).as("the one welcome email of %s, %d s after the broker returned", email,
            recoverySeconds()).isLessThan(deadline);
        sleep(100);
      }
    }
  }

  /** @return how long after the broker returns everything stored meanwhile must have gone through it */
  protected int recoverySeconds() {
    return 30;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
