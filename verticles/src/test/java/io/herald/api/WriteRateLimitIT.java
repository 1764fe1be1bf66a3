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

  /** Sends {@code count} registrations at once; @return the answers, with how long they took in all, in seconds. */
  private static Burst burst(ApiNode api, String token, int count) {
    long start = System.nanoTime();
    List<JsonObject> users = java.util.stream.IntStream.range(0, count).mapToObj(i -> newUser()).toList();
    List<io.vertx.core.Future<HttpResponse<Buffer>>> sent = users.stream().map(user -> {
      var request = api.anonymous(HttpMethod.POST, "/api/users");
      if (token != null) {
        request.bearerTokenAuthentication(token);
      }
      return request.sendJsonObject(user);
    }).toList();
    List<HttpResponse<Buffer>> answers = io.herald.testing.Futures.await(io.vertx.core.Future.all(sent)).list();
    return new Burst(users, answers, (System.nanoTime() - start) / 1e9);
  }

  private record Burst(List<JsonObject> users, List<HttpResponse<Buffer>> answers, double seconds) {
    long count(int status) {
      return answers.stream().filter(a -> a.statusCode() == status).count();
    }

    HttpResponse<Buffer> firstWith(int status) {
      return answers.stream().filter(a -> a.statusCode() == status).findFirst().orElseThrow();
    }

    List<String> refusedEmails() {
      return java.util.stream.IntStream.range(0, users.size()).filter(i -> answers.get(i).statusCode() == 429)
          .mapToObj(i -> users.get(i).getString("email")).toList();
    }
  }

  @Test
  @DisplayName("a token past its burst gets 429 with Retry-After and stores nothing; other tokens and reads go on")
  void perToken() throws Exception {
    try (ApiNode api = ApiNode.start(List.of(), Map.of("auth.secret", "write-rate-limit-it-secret-0123456789abcdef",
        "api.writeRateLimit.perSecond", "1", "api.writeRateLimit.burst", "3"))) {
      var tokens = api.node().access().tokens().orElseThrow();
      String first = tokens.mint(Set.of(Scope.READ, Scope.WRITE), 600, "first");
      String second = tokens.mint(Set.of(Scope.READ, Scope.WRITE), 600, "second");

      Burst burst = burst(api, first, 10);

      // the burst of 3, plus at most one a second while the 10 were in flight
      assertThat(burst.count(202) + burst.count(429)).isEqualTo(10);
      assertThat(burst.count(202)).isBetween(3L, 3L + (long) Math.ceil(burst.seconds()));
      HttpResponse<Buffer> limited = burst.firstWith(429);
      assertThat(problem(limited, 429).getString("detail")).matches("more than 1 commands a second from this token; retry after \\d+ s");
      long retryAfter = Long.parseLong(limited.getHeader("Retry-After"));
      assertThat(retryAfter).isBetween(1L, 2L);
      List<String> refused = burst.refusedEmails();
      assertThat(api.allEvents()).as("nothing stored for the refused commands")
          .noneMatch(e -> refused.stream().anyMatch(email -> e.encode().contains(email)));
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

      Burst burst = burst(api, null, 8);

      assertThat(burst.count(202)).isBetween(2L, 2L + (long) Math.ceil(burst.seconds()));
      HttpResponse<Buffer> limited = burst.firstWith(429);
      assertThat(problem(limited, 429).getString("detail")).startsWith("more than 1 commands a second from this address");
      assertThat(limited.getHeader("Retry-After")).isNotBlank();
    }
  }
}
