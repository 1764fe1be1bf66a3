package io.herald.api;

import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.herald.gateway.auth.Scope;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Bearer tokens against a real node and real HTTP, WebSocket and SockJS clients: what each kind of bad token gets,
 * which scope each kind of call needs, and what stays open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
@DisplayName("Credentials")
class AuthApiIT {

  private static final String SECRET = "auth-api-it-secret-" + "c0ffee-5e55-4b1d-9a7e-12ab34cd";
  private static final String ISSUER = "herald";
  private static final String AUDIENCE = "herald-api";

  private ApiNode api;
  private Vertx clients;
  private JWTAuth signer;
  private JWTAuth stranger;

  @BeforeAll
  void start() {
    api = ApiNode.start(List.of(), Map.of("auth.secret", SECRET));
    clients = Vertx.vertx();
    signer = JWTAuth.create(clients, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    stranger = JWTAuth.create(clients, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer("another-secret-of-someone-else-0123456789")));
  }

  @AfterAll
  void stop() {
    if (clients != null) {
      Futures.await(clients.close());
    }
    if (api != null) {
      api.close();
    }
  }

  private String token(JWTAuth keys, String issuer, String audience, int ttlSeconds, String scope) {
    return keys.generateToken(new JsonObject().put("scope", scope), new JWTOptions().setAlgorithm("HS256")
        .setIssuer(issuer).setAudience(List.of(audience)).setExpiresInSeconds(ttlSeconds).setSubject("auth-tests"));
  }

  private String token(String scope) {
    return token(signer, ISSUER, AUDIENCE, 600, scope);
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
    var request = api.anonymous(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return body == null ? api.send(request) : api.send(request, body);
  }

  private static JsonObject newUser() {
    return new JsonObject().put("email", ApiNode.uniqueEmail()).put("username", ApiNode.unique("name"));
  }

  /** No event mentions the refused registration: the command never reached the user service. */
  private void assertNeverStored(JsonObject user) {
    assertThat(api.allEvents()).noneMatch(e -> e.encode().contains(user.getString("email")));
  }

  private static void assertInvalid(HttpResponse<Buffer> response, String reason) {
    JsonObject problem = problem(response, 401);
    assertThat(problem.getString("detail")).isEqualTo("invalid token: " + reason);
    assertThat(response.getHeader("WWW-Authenticate"))
        .isEqualTo("Bearer realm=\"herald\", error=\"invalid_token\", error_description=\"" + reason + "\"");
  }

  @Test
  @DisplayName("no token: 401 problem with a Bearer challenge naming the scope, nothing stored")
  void noToken() {
    JsonObject user = newUser();
    HttpResponse<Buffer> response = call(HttpMethod.POST, "/api/users", null, user);

    JsonObject problem = problem(response, 401);
    assertThat(problem.getString("detail")).isEqualTo("a bearer token with scope 'write' is required (Authorization: Bearer <token>)");
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"herald\", scope=\"write\"");
    assertNeverStored(user);
    assertThat(problem(call(HttpMethod.GET, "/api/events", null, null), 401).getString("detail")).contains("scope 'read'");
    assertThat(problem(call(HttpMethod.GET, "/api/admin/projections", null, null), 401).getString("detail")).contains("scope 'admin'");
  }

  @Test
  @DisplayName("a bad signature, a wrong issuer, a wrong audience and an expired token are each 401 naming the problem")
  void invalidTokens() {
    assertInvalid(call(HttpMethod.GET, "/api/orders", token(stranger, ISSUER, AUDIENCE, 600, "read"), null),
        "the token's signature does not verify with this node's keys");
    assertInvalid(call(HttpMethod.GET, "/api/orders", token(signer, "someone-else", AUDIENCE, 600, "read"), null),
        "the token's issuer is not 'herald'");
    assertInvalid(call(HttpMethod.GET, "/api/orders", token(signer, ISSUER, "another-api", 600, "read"), null),
        "the token's audience does not include 'herald-api'");
    long past = System.currentTimeMillis() / 1000 - 60;
    String expired = signer.generateToken(new JsonObject().put("scope", "read").put("exp", past).put("iat", past - 600),
        new JWTOptions().setAlgorithm("HS256").setIssuer(ISSUER).setAudience(List.of(AUDIENCE)).setNoTimestamp(true));
    assertInvalid(call(HttpMethod.GET, "/api/orders", expired, null), "the token has expired");
    assertInvalid(call(HttpMethod.GET, "/api/orders", "not.a-jwt", null), "the token is not a well-formed JWT");

    HttpResponse<Buffer> basic = api.send(api.anonymous(HttpMethod.GET, "/api/orders").putHeader("Authorization", "Basic dXNlcjpwYXNz"));
    assertThat(problem(basic, 401).getString("detail")).isEqualTo("the Authorization header must be 'Bearer <token>'");
    assertThat(basic.getHeader("WWW-Authenticate")).contains("error=\"invalid_request\"");
  }

  @Test
  @DisplayName("a read token on a command and a write token on an admin call are 403 insufficient_scope")
  void insufficientScope() {
    JsonObject user = newUser();
    HttpResponse<Buffer> command = call(HttpMethod.POST, "/api/users", token("read"), user);
    assertThat(problem(command, 403).getString("detail"))
        .isEqualTo("this call needs a token with scope 'write'; the token grants 'read'");
    assertThat(command.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"herald\", error=\"insufficient_scope\", "
        + "error_description=\"this call needs a token with scope 'write'; the token grants 'read'\", scope=\"write\"");
    assertNeverStored(user);

    for (String[] admin : List.of(new String[] {"GET", "/api/dead-letters"}, new String[] {"GET", "/api/admin/breakers"},
        new String[] {"GET", "/api/admin/projections"}, new String[] {"POST", "/api/admin/projections/orders/rebuild"},
        new String[] {"POST", "/api/dead-letters/" + java.util.UUID.randomUUID() + "/redrive"})) {
      HttpResponse<Buffer> response = call(HttpMethod.valueOf(admin[0]), admin[1], token("read write"), null);
      assertThat(problem(response, 403).getString("detail")).as(admin[1]).contains("scope 'admin'");
      assertThat(response.getHeader("WWW-Authenticate")).contains("error=\"insufficient_scope\"", "scope=\"admin\"");
    }
  }

  @Test
  @DisplayName("tokens with the right scope are accepted: write commands, read queries and feeds, admin calls")
  void rightScopes() {
    HttpResponse<Buffer> registered = call(HttpMethod.POST, "/api/users", token("write"), newUser());
    assertThat(registered.statusCode()).as(registered.bodyAsString()).isEqualTo(202);
    String userId = registered.bodyAsJsonObject().getString("userId");
    long position = registered.bodyAsJsonObject().getLong("position");
    assertThat(call(HttpMethod.GET, "/api/users/" + userId + "?minPosition=" + position, token("read"), null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/events?from=1&limit=5", token("read"), null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/dead-letters", token("admin"), null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/admin/projections", token("admin"), null).statusCode()).isEqualTo(200);
    // validation still runs behind the token check
    HttpResponse<Buffer> invalid = call(HttpMethod.POST, "/api/users", token("write"), new JsonObject().put("email", "nope"));
    assertThat(problem(invalid, 400).getString("field")).isNotBlank();
  }

  @Test
  @DisplayName("SSE takes the token as a bearer header or access_token, and refuses none or a read-less one")
  void sse() {
    int port = api.node().httpPort();
    try (SseClient header = SseClient.open(clients, port, "/api/feed?types=user.registered", null, token("read"));
         SseClient query = SseClient.open(clients, port, "/api/feed?types=user.registered&access_token=" + token("read"), null, null);
         SseClient none = SseClient.open(clients, port, "/api/feed", null, null);
         SseClient writeOnly = SseClient.open(clients, port, "/api/feed", null, token("write"))) {
      assertThat(header.status()).isEqualTo(200);
      assertThat(query.status()).isEqualTo(200);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.problem().getString("detail")).contains("scope 'read'");
      assertThat(writeOnly.status()).isEqualTo(403);
      ApiNode.User user = api.registerUser();
      for (SseClient feed : List.of(header, query)) {
        eventually(() -> feed.events().stream().anyMatch(m -> m.position() == user.position()), heard -> heard);
      }
    }
  }

  @Test
  @DisplayName("the WebSocket feed takes the token as a bearer header or access_token, and refuses the upgrade without one")
  void webSocket() {
    int port = api.node().httpPort();
    try (FeedSocket header = FeedSocket.connect(clients, port, "/api/feed/ws?types=user.registered", token("read"));
         FeedSocket query = FeedSocket.connect(clients, port, "/api/feed/ws?types=user.registered&access_token=" + token("read"), null)) {
      ApiNode.User user = api.registerUser();
      for (FeedSocket feed : List.of(header, query)) {
        eventually(() -> feed.events().stream().anyMatch(e -> user.userId().equals(e.getString("subject"))), heard -> heard);
      }
    }
    Throwable refused = catchThrowable(() -> FeedSocket.connect(clients, port, "/api/feed/ws", null));
    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(401);
    Throwable forged = catchThrowable(() -> FeedSocket.connect(clients, port, "/api/feed/ws",
        token(stranger, ISSUER, AUDIENCE, 600, "read")));
    assertThat(((UpgradeRejectedException) forged).getStatus()).isEqualTo(401);
  }

  @Test
  @DisplayName("the SockJS bridge closes a socket that connects without a token and serves one with a read token")
  void sockJsBridge() {
    int port = api.node().httpPort();
    try (FeedSocket anonymous = FeedSocket.connect(clients, port, "/eventbus/websocket", null)) {
      // the server closes it as it connects, so a register frame may not even be sent
      eventually(() -> anonymous.socket().isClosed(), closed -> closed);
      assertThat(anonymous.frames()).isEmpty();
    }
    try (FeedSocket bridge = FeedSocket.connect(clients, port, "/eventbus/websocket?access_token=" + token("read"), null)) {
      bridge.send(new JsonObject().put("type", "register").put("address", "herald.feed").encode());
      ApiNode.User user = api.registerUser();
      eventually(() -> bridge.frames().stream().filter(f -> "rec".equals(f.getString("type"))
              && "herald.feed".equals(f.getString("address"))).map(f -> f.getJsonObject("body")).toList(),
          bodies -> bodies.stream().anyMatch(b -> user.userId().equals(b.getString("subject"))));
    }
  }

  @Test
  @DisplayName("/metrics and /health/live are open; /health/ready shows its checks to an admin token only")
  void openEndpoints() {
    assertThat(call(HttpMethod.GET, "/metrics", null, null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/health/live", null, null).bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
    JsonObject statusOnly = new JsonObject().put("status", "UP");
    assertThat(call(HttpMethod.GET, "/health/ready", null, null).bodyAsJsonObject()).isEqualTo(statusOnly);
    assertThat(call(HttpMethod.GET, "/health/ready", token("read write"), null).bodyAsJsonObject()).isEqualTo(statusOnly);
    assertThat(call(HttpMethod.GET, "/health/ready", token(stranger, ISSUER, AUDIENCE, 600, "admin"), null).bodyAsJsonObject())
        .isEqualTo(statusOnly);
    JsonObject detail = call(HttpMethod.GET, "/health/ready", token("admin"), null).bodyAsJsonObject();
    assertThat(detail.getString("status")).isEqualTo("UP");
    assertThat(detail.getJsonArray("checks")).isNotEmpty();
    assertThat(detail.encode()).doesNotContain(SECRET);
  }

  @Test
  @DisplayName("the node's own keys mint what it accepts: every scope on every kind of call")
  void nodeMintedToken() {
    String all = api.node().access().tokens().orElseThrow().mint(EnumSet.allOf(Scope.class), 60, "auth-tests");
    assertThat(call(HttpMethod.POST, "/api/users", all, newUser()).statusCode()).isEqualTo(202);
    assertThat(call(HttpMethod.GET, "/api/dead-letters", all, null).statusCode()).isEqualTo(200);
    assertThat(api.node().developmentToken()).as("a configured secret makes no development token").isEmpty();
    String readOnly = api.node().access().tokens().orElseThrow().mint(Set.of(Scope.READ), 60, "auth-tests");
    assertThat(call(HttpMethod.POST, "/api/users", readOnly, newUser()).statusCode()).isEqualTo(403);
  }
}
