package io.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.launcher.HeraldNode;
import io.herald.launcher.ServiceCatalogue;
import io.herald.launcher.config.HeraldConfig;
import io.herald.store.pg.PgStoreOptions;
import io.herald.store.pg.PgTestDatabase;
import io.herald.testing.Futures;
import io.herald.testing.TcpProxy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away under a running node (a TCP proxy in front of it is cut): commands and reads answer 503
 * naming the store, and once it is back the same requests succeed with nothing lost.
 */
class StoreOutageIT {

  private static Vertx admin;
  private static TcpProxy proxy;
  private static PgStoreOptions database;
  private static HeraldNode node;
  private static WebClient http;

  @BeforeAll
  static void start() {
    admin = Vertx.vertx();
    database = PgTestDatabase.freshSchema("outage");
    proxy = TcpProxy.start(admin, database.host(), database.port()).await();
    HeraldConfig config = HeraldConfig.from(new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("api", new JsonObject().put("commandTimeoutMs", 3_000).put("readWaitMs", 500))
        .put("store", new JsonObject().put("type", "postgres").put("postgres", new JsonObject()
            .put("port", proxy.port()).put("schema", database.schema()))));
    node = HeraldNode.start(config, List.of("test"), ServiceCatalogue.standard()).await();
    // every request carries the banner's token, with every scope
    http = WebClientSession.create(WebClient.create(admin))
        .addHeader("Authorization", "Bearer " + node.developmentToken().orElseThrow());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop().await();
    }
    proxy.close().await();
    PgTestDatabase.drop(admin, database);
    admin.close().await();
  }

  private static HttpResponse<Buffer> register(String email) {
    return http.postAbs(node.baseUrl() + "/api/users")
        .sendJsonObject(new JsonObject().put("email", email).put("username", "outage")).await();
  }

  @Test
  @DisplayName("with PostgreSQL unreachable, a command and a read answer 503 problems; after it returns they succeed")
  void outageAnswers503ThenRecovers() {
    HttpResponse<Buffer> before = register("before@example.org");
    assertThat(before.statusCode()).isEqualTo(202);
    String userId = before.bodyAsJsonObject().getString("userId");
    long position = before.bodyAsJsonObject().getLong("position");

    proxy.cut();
    HttpResponse<Buffer> command = register("during@example.org");
    HttpResponse<Buffer> read = http.getAbs(node.baseUrl() + "/api/users/" + userId).send().await();
    HttpResponse<Buffer> events = http.getAbs(node.baseUrl() + "/api/events?from=1").send().await();
    proxy.restore();

    for (HttpResponse<Buffer> response : List.of(command, read, events)) {
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
      assertThat(response.bodyAsJsonObject().getString("detail")).containsIgnoringCase("unavailable");
    }

    Futures.waitUntil(() -> register("after@example.org").statusCode() == 202);
    // the users projection was paused by the outage too: it resumes where it stopped and catches up
    Futures.waitUntil(() -> http.getAbs(node.baseUrl() + "/api/users/" + userId + "?minPosition=" + position).send().await()
        .statusCode() == 200);
    HttpResponse<Buffer> user = http.getAbs(node.baseUrl() + "/api/users/" + userId + "?minPosition=" + position).send().await();
    assertThat(user.statusCode()).isEqualTo(200);
    assertThat(user.bodyAsJsonObject().getString("email")).isEqualTo("before@example.org");
  }
}
