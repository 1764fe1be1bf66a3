package io.herald.launcher;

import static io.herald.launcher.PackagedApi.accepted;
import static io.herald.launcher.PackagedApi.eventually;
import static io.herald.launcher.PackagedApi.head;
import static io.herald.launcher.PackagedApi.ok;
import static io.herald.launcher.PackagedApi.order;
import static io.herald.launcher.PackagedApi.unique;
import static io.herald.launcher.ProcessTests.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.pg.FreshSchema;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code herald.jar --cluster} processes on loopback, one PostgreSQL schema and Kafka, the services split across
 * them: orders flow end to end through request/reply between nodes; the node holding the relay and saga roles is
 * killed with SIGKILL while orders keep coming, the roles move to the standby node within 10 s and work continues;
 * the killed node starts again and its read models catch up. Every accepted order ends shipped or cancelled, and the
 * read models on every node account for every event stored.
 */
@DisplayName("Clustered nodes of the packaged jar")
class ClusterPackagedIT {

  private static final Duration ROLE_MOVE_LIMIT = Duration.ofSeconds(10);
  private static final int STOCK = 1_000;

  private final FreshSchema schema = new FreshSchema("cluster_it");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<JarRun> runs = new ArrayList<>();
  private final String clusterName = unique("herald-it");
  private final String kafkaNamespace = unique("cluster-it");
  private List<Integer> hazelcastPorts;

  @TempDir
  Path workDir;

  @AfterEach
  void tearDown() throws IOException {
    try {
      for (JarRun run : runs) {
        run.close();
      }
    } finally {
      schema.drop();
    }
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  @DisplayName("orders flow across three nodes; kill -9 of the relay and saga holder moves both roles within 10 s; nothing is lost")
  void failover() throws Exception {
    hazelcastPorts = List.of(freePort(), freePort(), freePort());
    // the roles' first holder, then the standby that runs saga and relay too, then the gateway's node. One at a time,
    // each HTTP port taken just before its node binds it: a starting node's own sockets (its clustered bus on a port
    // of the system's choosing, its clients' connections) could otherwise take a port chosen for the next one
    Node roles = node(0, freePort(), "notification,analytics,audit,saga,relay");
    roles.awaitReady();
    eventually(() -> roles.cluster().getJsonObject("roles"), r -> holder(r, "relay:relay") != null
        && holder(r, "saga:saga") != null, Duration.ofSeconds(30));
    Node standby = node(1, freePort(), "payment,inventory,shipping,saga,relay");
    standby.awaitReady();
    Node gateway = node(2, freePort(), "gateway,user,order");
    gateway.awaitReady();
    JsonObject held = eventually(() -> gateway.cluster(), c -> c.getJsonArray("members").size() == 3
        && c.getJsonObject("roles").containsKey("projection:orders"), Duration.ofSeconds(60)).getJsonObject("roles");
    assertThat(held.getJsonObject("relay:relay").getString("holder")).as("relay holder").isEqualTo(roles.id);
    assertThat(held.getJsonObject("saga:saga").getString("holder")).as("saga holder").isEqualTo(roles.id);
    assertThat(held.getJsonObject("projection:inventory").getString("holder")).isEqualTo(standby.id);
    assertThat(held.getJsonObject("projection:orders").getString("holder")).isEqualTo(gateway.id);

    String email = unique("cluster") + "@example.com";
    String userId = accepted(gateway.send("POST", "/api/users", new JsonObject().put("email", email)
        .put("username", unique("name")))).getString("userId");
    String sku = unique("SKU");
    accepted(gateway.send("PUT", "/api/inventory/" + sku, new JsonObject().put("available", STOCK)));

    List<String> orderIds = new CopyOnWriteArrayList<>();
    AtomicBoolean placing = new AtomicBoolean(true);
    ExecutorService load = Executors.newFixedThreadPool(4);
    String[] tokens = {"tok_visa", "tok_decline", "tok_visa", "tok_visa"};
    for (int t = 0; t < 4; t++) {
      String token = tokens[t];
      load.submit(() -> {
        while (placing.get()) {
          HttpResponse<String> response = gateway.send("POST", "/api/orders", order(userId, sku, token, "1 Cluster Street"));
          if (response.statusCode() == 202) {
            orderIds.add(new JsonObject(response.body()).getString("orderId"));
          }
        }
        return null;
      });
    }
    try {
      eventually(orderIds::size, n -> n >= 30, Duration.ofSeconds(60));

      roles.run.process.destroyForcibly(); // SIGKILL: no shutdown hook, the advisory locks go with its sessions
      long killedAt = System.nanoTime();
      assertThat(roles.run.process.waitFor(30, TimeUnit.SECONDS)).as("the node died").isTrue();
      JsonObject moved = eventually(() -> gateway.cluster().getJsonObject("roles"),
          r -> standby.id.equals(holder(r, "relay:relay")) && standby.id.equals(holder(r, "saga:saga")), ROLE_MOVE_LIMIT);
      Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
      assertThat(took).as("relay and saga roles moved to %s", moved).isLessThanOrEqualTo(ROLE_MOVE_LIMIT);
      System.out.printf("relay and saga roles moved %d ms after the kill, %d orders accepted before%n", took.toMillis(),
          orderIds.size());

      // work continues without the killed node: new orders are accepted and their sagas finish on the standby
      int before = orderIds.size();
      eventually(orderIds::size, n -> n >= before + 30, Duration.ofSeconds(60));
      String afterMove = orderIds.get(orderIds.size() - 1);
      eventually(() -> gateway.send("GET", "/api/sagas/saga-" + afterMove, null), ClusterPackagedIT::finished,
          Duration.ofSeconds(60));
    } finally {
      placing.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).as("the load stopped").isTrue();
    }

    // the killed node comes back: its read models catch up with everything stored meanwhile
    Node back = node(0, roles.httpPort, "notification,analytics,audit,saga,relay");
    back.awaitReady();
    eventually(() -> gateway.cluster(), c -> c.getJsonArray("members").size() == 3, Duration.ofSeconds(60));

    Map<String, String> outcome = new HashMap<>();
    for (String orderId : orderIds) {
      JsonObject saga = new JsonObject(eventually(() -> gateway.send("GET", "/api/sagas/saga-" + orderId, null),
          ClusterPackagedIT::finished, Duration.ofSeconds(90)).body());
      outcome.put(orderId, saga.getString("status"));
    }
    long head = head(path -> gateway.send("GET", path, null));
    int shipped = 0;
    for (String orderId : orderIds) {
      JsonObject order = ok(gateway.send("GET", "/api/orders/" + orderId + "?minPosition=" + head, null));
      String expected = outcome.get(orderId).equals("completed") ? "shipped" : "cancelled";
      assertThat(order.getString("status")).as("order %s (saga %s)", orderId, outcome.get(orderId)).isEqualTo(expected);
      shipped += expected.equals("shipped") ? 1 : 0;
    }
    assertThat(shipped).as("orders shipped").isPositive();
    JsonObject stock = ok(gateway.send("GET", "/api/inventory/" + sku + "?minPosition=" + head, null));
    assertThat(stock.getInteger("reserved")).as("stock reserved for shipped orders").isEqualTo(shipped);
    assertThat(stock.getInteger("available") + shipped).as("stock available plus shipped").isEqualTo(STOCK);
    // the restarted node's analytics caught up: asked through the gateway's node, answered by the restarted one
    JsonObject analytics = ok(gateway.send("GET", "/api/analytics?minPosition=" + head, null));
    assertThat(analytics.getLong("ordersPlaced")).as("analytics %s", analytics).isEqualTo(orderIds.size());
    assertThat(analytics.getLong("ordersShipped")).as("analytics %s", analytics).isEqualTo(shipped);
    assertThat(analytics.getLong("ordersCancelled")).as("analytics %s", analytics).isEqualTo(orderIds.size() - shipped);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  @DisplayName("--cluster refuses the memory store and the event-bus broker before anything binds, naming what to use")
  void refusals() throws Exception {
    int port = freePort();
    try (JarRun memory = JarRun.start(workDir, Map.of("HERALD_HTTP_PORT", String.valueOf(port)), "--cluster", "--profile", "kafka")) {
      assertThat(memory.awaitExit()).isEqualTo(HeraldLauncher.EXIT_FAILURE);
      assertThat(memory.errorLines()).contains("herald: clustered mode needs --profile postgres: the memory store keeps"
          + " events, read models and sagas inside one process, where the other nodes cannot see them (store.type is memory)");
      assertThat(memory.output()).doesNotContain("Herald started");
    }
    try (JarRun eventBus = JarRun.start(workDir, Map.of("HERALD_HTTP_PORT", String.valueOf(port),
        "HERALD_CLUSTER_ENABLED", "true"), "--profile", "postgres")) {
      assertThat(eventBus.awaitExit()).isEqualTo(HeraldLauncher.EXIT_FAILURE);
      assertThat(String.join("\n", eventBus.errorLines())).startsWith("herald: clustered mode needs a broker")
          .contains("kafka, rabbitmq, redis or nats");
    }
    // nothing bound the HTTP port meanwhile
    try (ServerSocket socket = new ServerSocket(port)) {
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  // ---- nodes

  private Node node(int index, int httpPort, String services) throws IOException {
    String members = String.join(",", hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    Map<String, String> env = new HashMap<>(Map.of(
        "HERALD_HTTP_PORT", String.valueOf(httpPort),
        "HERALD_HTTP_INSTANCES", "1",
        "HERALD_STORE_POSTGRES_SCHEMA", schema.options().schema(),
        "HERALD_STORE_POSTGRES_POOLSIZE", "4",
        "HERALD_BROKER_KAFKA_NAMESPACE", kafkaNamespace,
        "HERALD_BROKER_KAFKA_SESSIONTIMEOUTMS", "6000",
        "HERALD_CLUSTER_NAME", clusterName,
        "HERALD_CLUSTER_MEMBERS", members,
        "HERALD_CLUSTER_PORT", String.valueOf(hazelcastPorts.get(index)),
        "HERALD_PAYMENT_TIMEOUTMS", "3000"));
    JarRun run = JarRun.start(workDir, List.of("-Xmx384m"), env, "--cluster", "--profile", "postgres,kafka",
        "--services", services);
    runs.add(run);
    return new Node(run, httpPort);
  }

  private final class Node {
    final JarRun run;
    final int httpPort;
    String id;

    Node(JarRun run, int httpPort) {
      this.run = run;
      this.httpPort = httpPort;
    }

    void awaitReady() throws Exception {
      run.awaitOutput("/health/ready");
      HttpResponse<String> ready = eventually(() -> send("GET", "/health/ready", null), r -> r.statusCode() == 200,
          Duration.ofSeconds(60));
      id = cluster(new JsonObject(ready.body())).getString("node");
    }

    JsonObject cluster() {
      return cluster(new JsonObject(send("GET", "/health/ready", null).body()));
    }

    private JsonObject cluster(JsonObject health) {
      for (Object check : health.getJsonArray("checks")) {
        if ("cluster".equals(((JsonObject) check).getString("name"))) {
          return (JsonObject) check;
        }
      }
      throw new AssertionError("no cluster check in " + health);
    }

    HttpResponse<String> send(String method, String path, JsonObject body) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + JarRun.token());
      HttpRequest request = body == null ? builder.method(method, HttpRequest.BodyPublishers.noBody()).build()
          : builder.header("Content-Type", "application/json")
              .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build();
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new AssertionError(method + " " + path + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  // ---- helpers

  private static String holder(JsonObject roles, String role) {
    JsonObject held = roles.getJsonObject(role);
    return held == null ? null : held.getString("holder");
  }

  private static boolean finished(HttpResponse<String> response) {
    return response.statusCode() == 200
        && Set.of("completed", "compensated").contains(new JsonObject(response.body()).getString("status"));
  }
}
