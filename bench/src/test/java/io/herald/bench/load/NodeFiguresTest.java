package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a sample reads the node's lags and the process's resident set out of what they answer. */
@Timeout(10)
@DisplayName("load sample sources")
class NodeFiguresTest {

  private static JsonObject projection(String name, long checkpoint, long lag) {
    return new JsonObject().put("name", name).put("state", "live").put("checkpoint", checkpoint).put("lag", lag);
  }

  @Test
  @DisplayName("the read models' lag is the sum of every projection's lag in GET /api/admin/projections")
  void projectionLag() {
    JsonObject listing = new JsonObject().put("projections", new JsonArray()
        .add(projection("orders", 900, 100)).add(projection("users", 1_000, 0)).add(projection("audit", 990, 10)));

    assertThat(LagProbe.projectionLag(listing)).hasValue(110);
    assertThat(LagProbe.projectionLag(new JsonObject().put("projections", new JsonArray()))).isEmpty();
    assertThat(LagProbe.projectionLag(new JsonObject())).isEmpty();
    assertThat(LagProbe.projectionLag(new JsonObject().put("projections", new JsonArray()
        .add(projection("orders", 900, 100)).add(new JsonObject().put("name", "users"))))).isEmpty();
  }

  @Test
  @DisplayName("the relay's lag is its check's lag in GET /health/ready; a relay that stands by has none")
  void relayLag() {
    JsonObject ready = new JsonObject().put("status", "UP").put("checks", new JsonArray()
        .add(new JsonObject().put("name", "store").put("status", "UP").put("store", "postgres"))
        .add(new JsonObject().put("name", "relay").put("status", "UP").put("role", "publishing").put("publishedPosition", 40)
            .put("lag", 7).put("consecutiveFailures", 0)));
    JsonObject standby = new JsonObject().put("status", "UP").put("checks", new JsonArray()
        .add(new JsonObject().put("name", "relay").put("status", "UP").put("role", "standby")));

    assertThat(LagProbe.relayLag(ready)).hasValue(7);
    assertThat(LagProbe.relayLag(standby)).isEmpty();
    assertThat(LagProbe.relayLag(new JsonObject().put("status", "UP"))).isEmpty();
  }

  @Test
  @DisplayName("the resident set is VmRSS of /proc/self/status, in bytes")
  void residentSet() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  600000 kB\nVmRSS:\t  524288 kB\nRssAnon:\t  500000 kB\n";

    assertThat(ProcessMemory.residentSet(status)).hasValue(512L * 1024 * 1024);
    assertThat(ProcessMemory.residentSet("Name:\tjava\n")).isEmpty();
    assertThat(ProcessMemory.residentSet("VmRSS:\tmany kB\n")).isEmpty();
    assertThat(ProcessMemory.residentSet("VmRSS:\t524288 MB\n")).isEqualTo(OptionalLong.empty());
  }
}
