package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.launcher.HeraldNode;
import io.herald.launcher.ServiceCatalogue;
import io.herald.launcher.config.ConfigLoader;
import io.herald.launcher.config.LoadedConfig;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A whole Herald node started in this JVM the way the launcher starts one (config files, profiles, then the given
 * settings as {@code herald.*} system properties), on a free port, and a real HTTP client talking to it. Every call
 * blocks the test thread until the response is in.
 */
final class ApiNode implements AutoCloseable {

  /**
   * Settings every API test node runs with: a free port, a small body limit, and payment timings that keep the
   * {@code tok_slow} test short. The charge timeout leaves room for 20 charges of one order racing on a busy
   * machine (300 ms gave 504s to ordinary payments there); the slow card answers well after it.
   */
  // timeouts generous enough for a loaded 2-core machine: a concurrency test must not see a timeout as a refusal
  static final Map<String, String> TEST_SETTINGS = Map.of(
      "http.port", "0",
      "api.bodyLimitBytes", "2048",
      "payment.timeoutMs", "3000",
      "payment.slowDelayMs", "4500");

  static final String PROBLEM_JSON = "application/problem+json";

  /**
   * Every service but the saga: the order API driven by hand (pay, ship, cancel), with no saga taking the orders
   * through on its own.
   */
  static final Map<String, String> WITHOUT_SAGA = Map.of("services",
      "user,inventory,payment,shipping,order,notification,analytics,audit,relay,gateway");

  private final Vertx clientVertx;
  private final WebClient client;
  private final HeraldNode node;
  private final String token;

  private ApiNode(Vertx clientVertx, HeraldNode node) {
    this.clientVertx = clientVertx;
    // enough connections for every racing request of a test to be in flight at once
    this.client = WebClient.create(clientVertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(32));
    this.node = node;
    this.token = allScopes(node);
  }

  /**
   * A token with every scope: the one the banner prints when the node made its own development key, otherwise one
   * minted with the configured secret; {@code null} when auth is off.
   */
  static String allScopes(HeraldNode node) {
    return node.tokenWithEveryScope(3_600).orElse(null);
  }

  /** @return the token every request of {@link #request} carries, with every scope */
  String token() {
    return token;
  }

  /**
   * Starts a node with the given profiles and settings on top of {@link #TEST_SETTINGS}.
   *
   * @param settings config keys as in {@code config/default.yaml} ({@code store.postgres.schema}) and their values
   */
  static ApiNode start(List<String> profiles, Map<String, String> settings) {
    Map<String, String> merged = new LinkedHashMap<>(TEST_SETTINGS);
    merged.putAll(settings);
    Map<String, String> properties = new LinkedHashMap<>();
    merged.forEach((key, value) -> properties.put(ConfigLoader.SYSTEM_PROPERTY_PREFIX + key, value));
    Vertx clientVertx = Vertx.vertx();
    try {
      LoadedConfig loaded = Futures.await(new ConfigLoader(clientVertx, Map.of(), properties).load(profiles, null));
      HeraldNode node = Futures.await(HeraldNode.start(loaded.typed(), loaded.layers(), ServiceCatalogue.standard()));
      return new ApiNode(clientVertx, node);
    } catch (RuntimeException | Error e) {
      clientVertx.close();
      throw e;
    }
  }

  HeraldNode node() {
    return node;
  }

  /** Stops the node (services save their checkpoints) and the client. */
  @Override
  public void close() {
    try {
      node.stop().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the node did not stop", e);
    } finally {
      client.close();
      Futures.await(clientVertx.close());
    }
  }

  /**
   * A crash, as near as one process allows: Vert.x closes under the running services, with no orderly stop of the
   * node first. Whatever the services had in flight stops where it was.
   */
  void crash() {
    try {
      node.vertx().close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("Vert.x did not close", e);
    } finally {
      client.close();
      Futures.await(clientVertx.close());
    }
  }

  // ---- raw HTTP

  /** A request that carries the node's token with every scope, as a bearer header. */
  HttpRequest<Buffer> request(HttpMethod method, String path) {
    HttpRequest<Buffer> request = anonymous(method, path);
    return token == null ? request : request.bearerTokenAuthentication(token);
  }

  /** A request with no credentials at all. */
  HttpRequest<Buffer> anonymous(HttpMethod method, String path) {
    return client.request(method, node.httpPort(), "127.0.0.1", path);
  }

  HttpResponse<Buffer> send(HttpRequest<Buffer> request) {
    return Futures.await(request.send());
  }

  HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) {
    return Futures.await(request.sendJsonObject(body));
  }

  HttpResponse<Buffer> send(HttpRequest<Buffer> request, Buffer body) {
    return Futures.await(request.sendBuffer(body));
  }

  /** Sends without waiting, for requests that must be in flight together. */
  Future<HttpResponse<Buffer>> sendAsync(HttpRequest<Buffer> request) {
    return request.send();
  }

  /** Sends after {@code delayMs} without waiting, to spread racing requests over a window. */
  Future<HttpResponse<Buffer>> sendLater(long delayMs, HttpRequest<Buffer> request) {
    return delayMs <= 0 ? request.send() : clientVertx.timer(delayMs).compose(v -> request.send());
  }

  /** POSTs a JSON body after {@code delayMs} without waiting, to spread many requests over a window. */
  Future<HttpResponse<Buffer>> postLater(long delayMs, String path, JsonObject body) {
    return clientVertx.timer(Math.max(1, delayMs)).compose(v -> request(HttpMethod.POST, path).sendJsonObject(body));
  }

  /** Completes after {@code delayMs}, on the client's Vert.x. */
  Future<Void> after(long delayMs) {
    return clientVertx.timer(Math.max(1, delayMs)).mapEmpty();
  }

  HttpResponse<Buffer> get(String path) {
    return send(request(HttpMethod.GET, path));
  }

  HttpResponse<Buffer> get(String path, MultiMap headers) {
    HttpRequest<Buffer> request = request(HttpMethod.GET, path);
    request.putHeaders(headers);
    return send(request);
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return send(request(HttpMethod.POST, path), body);
  }

  HttpResponse<Buffer> post(String path) {
    return send(request(HttpMethod.POST, path));
  }

  HttpResponse<Buffer> put(String path, JsonObject body) {
    return send(request(HttpMethod.PUT, path), body);
  }

  /** A 200 JSON answer's body; anything else fails the test with what came back. */
  JsonObject getOk(String path) {
    HttpResponse<Buffer> response = get(path);
    assertThat(response.statusCode()).as("GET %s answered %s", path, response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  static JsonObject accepted(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as("answer: %s", response.bodyAsString()).isEqualTo(202);
    return response.bodyAsJsonObject();
  }

  /** Checks the problem+json shape every error shares and returns the problem. */
  static JsonObject problem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as("answer: %s", response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo(PROBLEM_JSON);
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    return problem;
  }

  /**
   * Polls {@code read} until its value passes {@code done} (bounded by {@link Futures#waitUntil}) and returns that
   * value; for what is written asynchronously, by a broker consumer or a late answer.
   */
  static <T> T eventually(Supplier<T> read, Predicate<T> done) {
    AtomicReference<T> last = new AtomicReference<>();
    try {
      Futures.waitUntil(() -> {
        last.set(read.get());
        return done.test(last.get());
      });
    } catch (AssertionError e) {
      throw new AssertionError("condition not reached; last value read: " + last.get(), e);
    }
    return last.get();
  }

  // ---- the shop, as a client uses it

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  static String uniqueEmail() {
    return unique("user") + "@example.org";
  }

  static JsonObject address() {
    return new JsonObject().put("street", "1 Test Street").put("city", "Testville").put("postalCode", "12345")
        .put("country", "DE");
  }

  static JsonObject line(String sku, int quantity, String unitPrice) {
    return new JsonObject().put("sku", sku).put("quantity", quantity).put("unitPrice", unitPrice);
  }

  static JsonObject orderBody(String userId, String token, JsonObject... lines) {
    JsonArray items = new JsonArray();
    for (JsonObject line : lines) {
      items.add(line);
    }
    if (items.isEmpty()) {
      items.add(line(unique("SKU"), 1, "10.00"));
    }
    return new JsonObject().put("userId", userId).put("items", items).put("shippingAddress", address())
        .put("payment", new JsonObject().put("token", token));
  }

  /** A registered user: its id, email and the position of its {@code user.registered}. */
  record User(String userId, String email, String username, long position) {
  }

  /** A placed order: its id and the position of its {@code order.created}. */
  record Order(String orderId, long position) {
  }

  User registerUser() {
    String email = uniqueEmail();
    String username = unique("name");
    JsonObject body = accepted(post("/api/users", new JsonObject().put("email", email).put("username", username)));
    return new User(body.getString("userId"), email, username, body.getLong("position"));
  }

  Order placeOrder(String userId, String token, JsonObject... lines) {
    JsonObject body = accepted(post("/api/orders", orderBody(userId, token, lines)));
    return new Order(body.getString("orderId"), body.getLong("position"));
  }

  /** POSTs a command on an order and returns the position it stored at. */
  long orderCommand(String orderId, String action) {
    return accepted(post("/api/orders/" + orderId + "/" + action)).getLong("position");
  }

  JsonObject order(String orderId, long minPosition) {
    return getOk("/api/orders/" + orderId + "?minPosition=" + minPosition);
  }

  /** Every event of a stream, as CloudEvents. */
  List<JsonObject> stream(String streamId) {
    return getOk("/api/streams/" + streamId + "/events").getJsonArray("events").stream()
        .map(JsonObject.class::cast).toList();
  }

  List<String> streamTypes(String streamId) {
    return stream(streamId).stream().map(e -> e.getString("type")).toList();
  }

  /** The store's head: the position of the last event stored so far. */
  long head() {
    long from = 1;
    long last = 0;
    while (true) {
      JsonObject page = getOk("/api/events?from=" + from + "&limit=1000");
      JsonArray events = page.getJsonArray("events");
      if (events.isEmpty()) {
        return last;
      }
      last = events.getJsonObject(events.size() - 1).getLong("position");
      from = page.getLong("next");
    }
  }

  /** Every stored event from position 1, as CloudEvents. */
  List<JsonObject> allEvents() {
    List<JsonObject> all = new java.util.ArrayList<>();
    long from = 1;
    while (true) {
      JsonObject page = getOk("/api/events?from=" + from + "&limit=1000");
      JsonArray events = page.getJsonArray("events");
      if (events.isEmpty()) {
        return all;
      }
      events.forEach(e -> all.add((JsonObject) e));
      from = page.getLong("next");
    }
  }

  /** The admin view of one projection. */
  JsonObject projection(String name) {
    return getOk("/api/admin/projections").getJsonArray("projections").stream().map(JsonObject.class::cast)
        .filter(p -> name.equals(p.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no projection named " + name));
  }
}
