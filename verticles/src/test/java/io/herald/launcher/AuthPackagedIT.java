package io.herald.launcher;

import static io.herald.launcher.ProcessTests.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Credentials as a user meets them with {@code herald.jar}: the banner's token, the token command, and no leaks. */
@Timeout(180)
@DisplayName("Credentials of the packaged herald.jar")
class AuthPackagedIT {

  private static final String SECRET = "auth-packaged-it-secret-" + "9f3c2a7e51d84b06a2c9e7f1";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path workDir;

  @Test
  @DisplayName("with no key configured the banner prints a token line that works, and nothing works without it")
  void bannerToken() throws Exception {
    int port = freePort();
    try (JarRun run = JarRun.start(workDir, Map.of("HERALD_HTTP_PORT", String.valueOf(port), "HERALD_AUTH_SECRET", ""))) {
      run.awaitOutput("/health/ready");
      assertThat(run.output()).containsPattern("(?m)^  token     [A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");
      String token = run.bannerToken();

      HttpResponse<String> anonymous = send(port, "GET", "/api/orders", null, null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer realm=\"herald\""));
      assertThat(send(port, "GET", "/api/orders", null, token).statusCode()).isEqualTo(200);
      assertThat(send(port, "POST", "/api/users", new JsonObject().put("email", "banner@example.org").put("username", "banner"),
          token).statusCode()).isEqualTo(202);
      assertThat(send(port, "GET", "/api/dead-letters", null, token).statusCode()).isEqualTo(200);
      assertThat(new JsonObject(send(port, "GET", "/health/ready", null, token).body()).getJsonArray("checks")).isNotEmpty();
      assertThat(new JsonObject(send(port, "GET", "/health/ready", null, null).body()))
          .isEqualTo(new JsonObject().put("status", "UP"));
    }
  }

  @Test
  @DisplayName("the token command mints a token with the scopes asked for, valid on a node with the same secret")
  void tokenCommand() throws Exception {
    String token;
    try (JarRun mint = JarRun.start(workDir, Map.of("HERALD_AUTH_SECRET", SECRET), "token", "--scopes", "read,write", "--ttl", "1h")) {
      assertThat(mint.awaitExit()).as(mint.errors()).isZero();
      token = mint.output().trim();
    }
    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    int port = freePort();
    try (JarRun run = JarRun.start(workDir, Map.of("HERALD_HTTP_PORT", String.valueOf(port), "HERALD_AUTH_SECRET", SECRET))) {
      run.awaitOutput("/health/ready");
      assertThat(run.output()).doesNotContain("  token     ");

      assertThat(send(port, "POST", "/api/users", new JsonObject().put("email", "cli@example.org").put("username", "cli"), token)
          .statusCode()).isEqualTo(202);
      assertThat(send(port, "GET", "/api/orders", null, token).statusCode()).isEqualTo(200);
      HttpResponse<String> admin = send(port, "GET", "/api/dead-letters", null, token);
      assertThat(admin.statusCode()).isEqualTo(403);
      assertThat(admin.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
          .contains("error=\"insufficient_scope\"", "scope=\"admin\""));
    }
  }

  @Test
  @DisplayName("the token command refuses an unknown scope or duration (2) and a configuration without a secret (1)")
  void tokenCommandErrors() throws Exception {
    try (JarRun run = JarRun.start(workDir, Map.of("HERALD_AUTH_SECRET", SECRET), "token", "--scopes", "read,root")) {
      assertThat(run.awaitExit()).isEqualTo(2);
      assertThat(run.errorLines().get(0)).isEqualTo("herald: option '--scopes': unknown scope 'root' (known: read, write, admin)");
    }
    try (JarRun run = JarRun.start(workDir, Map.of("HERALD_AUTH_SECRET", SECRET), "token", "--scopes", "read", "--ttl", "soon")) {
      assertThat(run.awaitExit()).isEqualTo(2);
      assertThat(run.errorLines().get(0)).isEqualTo("herald: option '--ttl': 'soon' is not a duration (90s, 30m, 1h, 7d)");
    }
    try (JarRun run = JarRun.start(workDir, Map.of("HERALD_AUTH_SECRET", ""), "token", "--scopes", "read")) {
      assertThat(run.awaitExit()).isEqualTo(1);
      assertThat(run.errorLines().get(0)).startsWith("herald: no key configured to sign tokens: set auth.secret");
      assertThat(run.output()).isEmpty();
    }
  }

  @Test
  @DisplayName("neither the secret nor a token shows in the logs, the readiness report or the problems")
  void noSecretLeaks() throws Exception {
    String token;
    try (JarRun mint = JarRun.start(workDir, Map.of("HERALD_AUTH_SECRET", SECRET), "token", "--scopes", "read,write,admin")) {
      assertThat(mint.awaitExit()).isZero();
      token = mint.output().trim();
    }
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
    int port = freePort();
    List<String> answers = new ArrayList<>();
    try (JarRun run = JarRun.start(workDir, Map.of("HERALD_HTTP_PORT", String.valueOf(port), "HERALD_AUTH_SECRET", SECRET))) {
      run.awaitOutput("/health/ready");
      answers.add(send(port, "GET", "/health/ready", null, token).body());
      answers.add(send(port, "GET", "/health/live", null, null).body());
      answers.add(send(port, "GET", "/metrics", null, null).body());
      answers.add(send(port, "GET", "/api/orders", null, forged).body());
      answers.add(send(port, "GET", "/api/orders/nope", null, token).body());
      answers.add(send(port, "POST", "/api/users", new JsonObject().put("email", "not-an-email"), token).body());
      answers.add(send(port, "GET", "/api/feed?access_token=" + forged, null, null).body());
      run.process.destroy();
      assertThat(run.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      String everything = run.output() + run.errors() + String.join("\n", answers);
      assertThat(everything).contains("invalid token: the token's signature does not verify with this node's keys")
          .doesNotContain(SECRET).doesNotContain(token).doesNotContain(forged)
          .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }
  }

  @Test
  @DisplayName("auth.enabled false serves without a token and warns at start")
  void authDisabled() throws Exception {
    int port = freePort();
    try (JarRun run = JarRun.start(workDir, Map.of("HERALD_HTTP_PORT", String.valueOf(port), "HERALD_AUTH_ENABLED", "false"))) {
      run.awaitOutput("/health/ready");
      assertThat(run.output()).contains("WARN", "auth.enabled is false", "auth      OFF").doesNotContain("  token     ");
      assertThat(send(port, "GET", "/api/orders", null, null).statusCode()).isEqualTo(200);
      assertThat(send(port, "GET", "/api/dead-letters", null, null).statusCode()).isEqualTo(200);
    }
  }

  private HttpResponse<String> send(int port, String method, String path, JsonObject body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
