package io.herald.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("One options reader: defaults, numbers as text, errors that name the full key")
class JsonOptionsTest {

  private final JsonOptions in = JsonOptions.of(new JsonObject()
      .put("text", "abc").put("count", 5).put("fromEnv", " 42 ").put("half", 2.5).put("huge", 1L << 40)
      .put("flag", "true").put("words", "many"), "broker.test.");

  @Test
  @DisplayName("absent keys take their default, present ones their value; numbers may arrive as text")
  void readsValues() {
    assertThat(in.string("missing", "dflt")).isEqualTo("dflt");
    assertThat(in.string("text", "dflt")).isEqualTo("abc");
    assertThat(in.integer("count", 1)).isEqualTo(5);
    assertThat(in.number("fromEnv", 1)).isEqualTo(42);
    assertThat(in.number("huge", 1)).isEqualTo(1L << 40);
    assertThat(in.bool("flag", false)).isTrue();
    assertThat(in.bool("missing", true)).isTrue();
  }

  @Test
  @DisplayName("a wrong value fails naming the full key")
  void namesTheKey() {
    assertThatThrownBy(() -> in.string("count", "x")).hasMessageStartingWith("broker.test.count must be a string");
    assertThatThrownBy(() -> in.number("half", 1)).hasMessageStartingWith("broker.test.half must be a whole number");
    assertThatThrownBy(() -> in.number("words", 1)).hasMessageStartingWith("broker.test.words must be a whole number");
    assertThatThrownBy(() -> in.integer("huge", 1)).hasMessageStartingWith("broker.test.huge is out of range");
    assertThatThrownBy(() -> in.bool("words", false)).hasMessageStartingWith("broker.test.words must be true or false");
    assertThatThrownBy(() -> JsonOptions.requirePositive("relay.retryBaseMs", 0))
        .hasMessage("relay.retryBaseMs must be >= 1, was 0");
    assertThatThrownBy(() -> JsonOptions.requireRange("broker.rabbitmq.port", 0, 1, 65_535))
        .hasMessage("broker.rabbitmq.port must be between 1 and 65535, was 0");
    assertThatThrownBy(() -> JsonOptions.requireText("broker.redis.namespace", " "))
        .hasMessage("broker.redis.namespace must not be blank");
  }
}
