package io.herald.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
@DisplayName("Relay options")
class EventRelayOptionsTest {

  @Test
  @DisplayName("an empty section gives the documented defaults")
  void defaults() {
    EventRelayOptions options = EventRelayOptions.fromJson(new JsonObject());

    assertThat(options).isEqualTo(EventRelayOptions.defaults());
    assertThat(options.checkpointName()).isEqualTo("relay");
    assertThat(options.checkpointBatch()).isEqualTo(EventRelayOptions.DEFAULT_CHECKPOINT_BATCH);
    assertThat(options.checkpointIntervalMs()).isEqualTo(EventRelayOptions.DEFAULT_CHECKPOINT_INTERVAL_MS);
    assertThat(options.retryBaseMs()).isEqualTo(EventRelayOptions.DEFAULT_RETRY_BASE_MS);
    assertThat(options.retryCapMs()).isEqualTo(EventRelayOptions.DEFAULT_RETRY_CAP_MS);
    assertThat(options.publishTimeoutMs()).isEqualTo(EventRelayOptions.DEFAULT_PUBLISH_TIMEOUT_MS);
  }

  @Test
  @DisplayName("every key is read, and toJson gives the same options back")
  void roundTrip() {
    JsonObject json = new JsonObject().put("checkpointName", "relay-node-2").put("checkpointBatch", 7)
        .put("checkpointIntervalMs", 250).put("retryBaseMs", 20).put("retryCapMs", 900).put("publishTimeoutMs", 1_500);

    EventRelayOptions options = EventRelayOptions.fromJson(json);

    assertThat(options).isEqualTo(new EventRelayOptions("relay-node-2", 7, 250, 20, 900, 1_500));
    assertThat(options.toJson()).isEqualTo(json);
  }

  @Test
  @DisplayName("non-positive values and a retry cap below its base are refused with the key's name")
  void invalidValues() {
    assertThatThrownBy(() -> EventRelayOptions.fromJson(new JsonObject().put("checkpointBatch", 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relay.checkpointBatch");
    assertThatThrownBy(() -> EventRelayOptions.fromJson(new JsonObject().put("retryBaseMs", 500).put("retryCapMs", 100)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relay.retryCapMs");
    assertThatThrownBy(() -> EventRelayOptions.fromJson(new JsonObject().put("checkpointName", " ")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
