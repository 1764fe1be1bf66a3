package io.herald.launcher;

import static io.herald.launcher.ProcessTests.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderPaid;
import io.herald.store.EventStore;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two herald.jar processes relaying one PostgreSQL store to Redis Streams: one publishes, the other stands by; the
 * publisher is killed with SIGKILL in the middle of publishing, and the other takes over so that every stored event
 * reaches the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The relay across a kill -9")
class RelayCrashPackagedIT {

  private static final int EVENTS = 3_000;

  private final String schema = "relay_crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String namespace = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private PgEventStore store;
  private Redis redis;

  @TempDir
  Path workDir;

  @BeforeAll
  void setUp() {
    vertx = Vertx.vertx();
    store = PgEventStore.connect(vertx, PgStoreOptions.defaults().withSchema(schema), BlueprintEvents.registry())
        .await();
    redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
  }

  @AfterAll
  void tearDown() {
    store.close().await();
    var admin = PgBuilder.pool().connectingTo(PgStoreOptions.defaults().withSchema("public").connectOptions()).using(vertx).build();
    admin.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute().await();
    admin.close().await();
    redis.send(Request.cmd(Command.DEL).arg(namespace + ".order").arg(namespace + ".streams").arg(namespace + ".groups")).await();
    redis.close();
    vertx.close().await();
  }

  @Test
  @DisplayName("only one process publishes; after it is killed mid-way the other publishes everything left")
  void killedPublisherIsReplaced() throws Exception {
    int portA = freePort();
    int portB = freePort();
    try (JarRun a = relayProcess(portA); JarRun b = relayProcess(portB)) {
      a.awaitOutput("/health/ready");
      b.awaitOutput("/health/ready");
      awaitUntil("one relay publishes and the other stands by", () -> {
        Set<String> roles = Set.of(relayRoleOrDown(portA), relayRoleOrDown(portB));
        return roles.equals(Set.of("publishing", "standby"));
      });
      boolean aPublishes = relayRole(portA).equals("publishing");
      JarRun publisher = aPublishes ? a : b;
      int survivorPort = aPublishes ? portB : portA;

      List<UUID> stored = new ArrayList<>();
      append(stored, EVENTS / 2);
      awaitUntil("the publisher has published part of it", () -> streamLength() > 0);
      publisher.process.destroyForcibly();           // SIGKILL: no shutdown hook, no checkpoint saved
      assertThat(publisher.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      append(stored, EVENTS - EVENTS / 2);

      awaitRole(survivorPort, "publishing");
      awaitUntil("every stored event is on the broker", () -> publishedIds().containsAll(stored));
      assertThat(publishedIds()).containsAll(stored);
    }
  }

  private String relayRoleOrDown(int port) {
    try {
      return relayRole(port);
    } catch (Exception e) {
      return "down";
    }
  }

  private JarRun relayProcess(int port) throws IOException {
    return JarRun.start(workDir, Map.of(
            "HERALD_HTTP_PORT", String.valueOf(port),
            "HERALD_STORE_POSTGRES_SCHEMA", schema,
            "HERALD_BROKER_REDIS_NAMESPACE", namespace,
            "HERALD_RELAY_LEASERETRYMS", "200",
            "HERALD_RELAY_LEASECHECKMS", "200",
            "HERALD_RELAY_CHECKPOINTBATCH", "200"),
        "--profile", "postgres,redis", "--services", "relay");
  }

  private void append(List<UUID> stored, int count) {
    EventFactory factory = new EventFactory(BlueprintEvents.registry(), "/herald/test");
    List<Future<?>> window = new ArrayList<>();
    for (int i = 0; i < count; i += 10) {
      List<EventEnvelope> batch = new ArrayList<>();
      for (int j = 0; j < 10 && i + j < count; j++) {
        String orderId = "ord-" + UUID.randomUUID();
        EventEnvelope e = factory.create(new OrderPaid(orderId, "pay-" + orderId, new BigDecimal("1.00")));
        batch.add(e);
        stored.add(e.id());
      }
      window.add(store.append("order-" + UUID.randomUUID(), EventStore.NO_STREAM, batch));
      if (window.size() == 20) {
        Future.all(window).await();
        window.clear();
      }
    }
    Future.all(window).await();
  }

  private long streamLength() {
    return redis.send(Request.cmd(Command.XLEN).arg(namespace + ".order")).await().toLong();
  }

  // the event ids of every entry, read with the raw client as a third party would
  private Set<UUID> publishedIds() {
    Set<UUID> ids = new HashSet<>();
    String from = "-";
    while (true) {
      Response page = redis.send(Request.cmd(Command.XRANGE).arg(namespace + ".order").arg(from).arg("+").arg("COUNT").arg(1000))
          .await();
      if (page == null || page.size() == 0) {
        return ids;
      }
      String last = null;
      for (Response entry : page) {
        last = entry.get(0).toString();
        Response fields = entry.get(1);
        for (int f = 0; f + 1 < fields.size(); f += 2) {
          if ("event".equals(fields.get(f).toString())) {
            ids.add(UUID.fromString(new io.vertx.core.json.JsonObject(fields.get(f + 1).toString()).getString("id")));
          }
        }
      }
      if (page.size() < 1000) {
        return ids;
      }
      from = "(" + last;
    }
  }

  private String relayRole(int port) throws Exception {
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .header("Authorization", "Bearer " + JarRun.token()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    String body = ready.body();
    return body.contains("\"role\":\"publishing\"") ? "publishing" : body.contains("\"role\":\"standby\"") ? "standby" : body;
  }

  private void awaitRole(int port, String role) throws Exception {
    awaitUntil("the relay on port " + port + " is " + role, () -> {
      try {
        return role.equals(relayRole(port));
      } catch (Exception e) {
        return false;
      }
    });
  }

  private static void awaitUntil(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    ProcessTests.awaitUntil(what, 90, condition);
  }
}
