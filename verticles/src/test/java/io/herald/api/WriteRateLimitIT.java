package io.herald.api;

import static io.herald.api.ApiNode.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.gateway.auth.Scope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code api.writeRateLimit.*} against a real node: per token, or per address with auth off. */
@Timeout(120)
@DisplayName("Write rate limit")
class WriteRateLimitIT {

  private static JsonObject newUser() {
    return new JsonObject().put("email", ApiNode.uniqueEmail()).put("username", ApiNode.unique("name"));
  }

  private static HttpResponse<Buffer> register(ApiNode api, String token) {
    var request = api.anonymous(HttpMethod.POST, "/api/users");
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return api.send(request, newUser());
  }

  @Test
  @DisplayName("a token past its burst gets 429 with Retry-After and stores nothing; other tokens and reads go on")
  void perToken() throws Exception {
    try (ApiNode api = ApiNode.start(List.of(), Map.of("auth.secret", "write-rate-limit-it-secret-0123456789abcdef",
        "api.writeRateLimit.perSecond", "1", "api.writeRateLimit.burst", "3"))) {
      var tokens = api.node().access().tokens().orElseThrow();
      String first = tokens.mint(Set.of(Scope.READ, Scope.WRITE), 600, "first");
      String second = tokens.mint(Set.of(Scope.READ, Scope.WRITE), 600, "second");
      for (int i = 0; i < 3; i++) {
        assertThat(register(api, first).statusCode()).isEqualTo(202);
      }
      long head = api.head();

      HttpResponse<Buffer> limited = register(api, first);

      assertThat(problem(limited, 429).getString("detail")).matches("more than 1 commands a second from this token; retry after \\d+ s");
      long retryAfter = Long.parseLong(limited.getHeader("Retry-After"));
      assertThat(retryAfter).isBetween(1L, 2L);
      assertThat(api.head()).as("nothing stored for the refused command").isEqualTo(head);
      assertThat(register(api, second).statusCode()).as("another token has its own budget").isEqualTo(202);
      assertThat(api.send(api.anonymous(HttpMethod.GET, "/api/orders").bearerTokenAuthentication(first)).statusCode())
          .as("queries are not counted").isEqualTo(200);

      Thread.sleep(retryAfter * 1_000 + 100);
      assertThat(register(api, first).statusCode()).as("after Retry-After").isEqualTo(202);
    }
  }

  @Test
  @DisplayName("with auth.enabled false the limit applies per client address")
  void perAddressWithoutAuth() {
    try (ApiNode api = ApiNode.start(List.of(), Map.of("auth.enabled", "false",
        "api.writeRateLimit.perSecond", "1", "api.writeRateLimit.burst", "2"))) {
      assertThat(api.token()).isNull();
      assertThat(register(api, null).statusCode()).isEqualTo(202);
      assertThat(register(api, null).statusCode()).isEqualTo(202);

      HttpResponse<Buffer> limited = register(api, null);

      assertThat(problem(limited, 429).getString("detail")).startsWith("more than 1 commands a second from this address");
      assertThat(limited.getHeader("Retry-After")).isNotBlank();
    }
  }
}
