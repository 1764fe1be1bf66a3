package io.herald.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("Readiness checks")
class HealthRegistryTest {

  @Test
  @DisplayName("the node is UP when every check succeeds, each reported with its details in registration order")
  void allUp() {
    HealthRegistry registry = new HealthRegistry()
        .register("store", () -> Future.succeededFuture(new JsonObject().put("store", "memory")))
        .register("services", () -> Future.succeededFuture(null));

    JsonObject report = registry.report().await();

    assertThat(report).isEqualTo(new JsonObject("""
        {"status":"UP","checks":[
          {"name":"store","status":"UP","store":"memory"},
          {"name":"services","status":"UP"}]}"""));
  }

  @Test
  @DisplayName("a failing, throwing or silent check makes the node DOWN with that check's reason")
  void failures() {
    HealthRegistry registry = new HealthRegistry(100)
        .register("store", () -> Future.failedFuture("connection refused"))
        .register("broker", () -> {
          throw new IllegalStateException("not connected");
        })
        .register("relay", () -> Promise.<JsonObject>promise().future())
        .register("services", () -> Future.succeededFuture(new JsonObject()));

    JsonObject report = registry.report().await();

    assertThat(report.getString("status")).isEqualTo("DOWN");
    assertThat(report.getJsonArray("checks")).containsExactly(
        new JsonObject().put("name", "store").put("status", "DOWN").put("reason", "connection refused"),
        new JsonObject().put("name", "broker").put("status", "DOWN").put("reason", "not connected"),
        new JsonObject().put("name", "relay").put("status", "DOWN").put("reason", "no answer within 100 ms"),
        new JsonObject().put("name", "services").put("status", "UP"));
  }

  @Test
  @DisplayName("details cannot overwrite a check's name or status, and names are unique")
  void namesAreProtected() {
    HealthRegistry registry = new HealthRegistry()
        .register("store", () -> Future.succeededFuture(new JsonObject().put("status", "DOWN").put("name", "x")));

    assertThat(registry.report().await().getJsonArray("checks").getJsonObject(0))
        .isEqualTo(new JsonObject().put("name", "store").put("status", "UP"));
    assertThatThrownBy(() -> registry.register("store", () -> Future.succeededFuture()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'store'");
    assertThat(registry.unregister("store").names()).isEmpty();
  }
}
