package io.herald.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.herald.launcher.config.ConfigException;
import io.herald.launcher.config.HeraldConfig;
import io.herald.launcher.config.ServiceSelection;
import io.herald.store.StoreUnavailableException;
import io.herald.store.pg.PgStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
@DisplayName("Node lifecycle")
class HeraldNodeTest {

  private static HeraldConfig config(String json) {
    return HeraldConfig.from(new JsonObject(json));
  }

  private static ServiceDefinition idle(String name) {
    return new ServiceDefinition(name, "an idle verticle",
        ctx -> ctx.vertx().deployVerticle(new VerticleBase() { }).map(Deployment::of));
  }

  @Test
  @DisplayName("a node without the gateway still serves health and metrics on its HTTP port, but not the API")
  void withoutGateway(Vertx vertx) throws Exception {
    ServiceCatalogue catalogue = new ServiceCatalogue(List.of(idle("projections"), ServiceCatalogue.standard().find("gateway").orElseThrow()));
    HeraldConfig config = config("{\"http\":{\"port\":0}}").withServices(new ServiceSelection(List.of("projections")));
    HeraldNode node = HeraldNode.start(config, List.of("default"), catalogue).await();
    try {
      WebClient client = WebClient.create(vertx);
      JsonObject ready = client.get(node.httpPort(), "127.0.0.1", "/health/ready")
          .bearerTokenAuthentication(node.developmentToken().orElseThrow()).send().await().bodyAsJsonObject();

      assertThat(ready.getString("status")).isEqualTo("UP");
      assertThat(EmbeddedNodeIT.check(ready, "services").getJsonArray("services")).containsExactly("projections");
      assertThat(client.get(node.httpPort(), "127.0.0.1", "/api").send().await().statusCode()).isEqualTo(404);
      assertThat(node.banner()).contains("api       not served by this node (gateway not selected)", "services  projections");
    } finally {
      node.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a service that fails to start fails the start with one line naming it, and the node is released")
  void failingService() {
    ServiceCatalogue catalogue = new ServiceCatalogue(List.of(
        new ServiceDefinition("broken", "fails", ctx -> Future.failedFuture(new IllegalStateException("no broker\nat all")))));

    Throwable err = catchThrowable(() -> HeraldNode.start(config("{\"http\":{\"port\":0}}"), List.of("default"), catalogue).await());

    assertThat(err).isInstanceOf(StartupException.class).hasMessage("broken failed to start: no broker at all");
  }

  @Test
  @DisplayName("a broker setting of the wrong type is refused with the key it belongs to")
  void invalidBrokerSettings() {
    Throwable err = catchThrowable(() -> config("{\"broker\":{\"type\":\"kafka\",\"kafka\":{\"partitions\":\"many\"}}}"));

    assertThat(err).isInstanceOf(ConfigException.class).hasMessage("config key 'broker.kafka.partitions' must be a number, got 'many'");
  }

  @Test
  @DisplayName("stopping twice is harmless and closes Vert.x once")
  void stopTwice() throws Exception {
    HeraldNode node = HeraldNode.start(config("{\"http\":{\"port\":0}}"), List.of("default"), ServiceCatalogue.standard()).await();

    Future<Void> first = node.stop();
    Future<Void> second = node.stop();

    assertThat(second).isSameAs(first);
    first.await(10, TimeUnit.SECONDS);
    assertThat(catchThrowable(() -> node.vertx().deployVerticle(new VerticleBase() { }).await())).isNotNull();
  }

  @Test
  @DisplayName("a request in flight when the node stops still gets its answer, and none is taken afterwards")
  void inFlightRequestFinishes(Vertx vertx) throws Exception {
    HeraldNode node = HeraldNode.start(config("{\"http\":{\"port\":0}}"), List.of("default"), ServiceCatalogue.standard()).await();
    node.health().register("slow", () -> {
      Promise<JsonObject> answered = Promise.promise();
      node.vertx().setTimer(500, id -> answered.complete(new JsonObject()));
      return answered.future();
    });
    Future<HttpResponse<Buffer>> response = WebClient.create(vertx).get(node.httpPort(), "127.0.0.1", "/health/ready").send();
    Thread.sleep(200);   // the request is being served: the slow check holds it

    Future<Void> stopped = node.stop();

    HttpResponse<Buffer> answer = response.await(5, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);   // the checks ran before the stop began
    assertThat(answer.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    stopped.await(10, TimeUnit.SECONDS);
    assertThat(catchThrowable(() -> WebClient.create(vertx).get(node.httpPort(), "127.0.0.1", "/health/live").send()
        .await(5, TimeUnit.SECONDS))).as("no requests are taken after the stop").isNotNull();
  }

  @Test
  @DisplayName("a refused PostgreSQL connection becomes one line naming host, port and database")
  void postgresRefused(Vertx vertx) {
    PgStoreOptions options = PgStoreOptions.defaults();
    PgStoreOptions unreachable = new PgStoreOptions("127.0.0.1", 1, "test", "postgres", "", "herald", 1, 1, 1, 1);
    Pool pool = PgBuilder.pool().connectingTo(unreachable.connectOptions()).using(vertx).build();
    Throwable refused = catchThrowable(() -> pool.getConnection().await());
    pool.close();

    assertThat(HeraldNode.postgresFailure(unreachable, refused))
        .isEqualTo("cannot reach PostgreSQL at 127.0.0.1:1/test: Connection refused");
    assertThat(HeraldNode.postgresFailure(unreachable, new StoreUnavailableException("connect failed", refused)))
        .isEqualTo("cannot reach PostgreSQL at 127.0.0.1:1/test: Connection refused");
    assertThat(HeraldNode.postgresFailure(options, new IllegalStateException("permission denied for database test")))
        .isEqualTo("PostgreSQL store at 127.0.0.1:5432/test failed to start: permission denied for database test");
    assertThat(HeraldNode.postgresFailure(options, new StoreUnavailableException("cannot connect to 127.0.0.1:5432/test: timeout", null)))
        .isEqualTo("cannot connect to 127.0.0.1:5432/test: timeout");
  }
}
