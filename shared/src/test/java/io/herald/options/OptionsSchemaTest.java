package io.herald.options;

import static io.herald.options.Rule.atLeast;
import static io.herald.options.Rule.atMost;
import static io.herald.options.Rule.between;
import static io.herald.options.Rule.matches;
import static io.herald.options.Rule.notBlank;
import static io.herald.options.Rule.oneOf;
import static io.herald.options.Rule.positive;
import static io.herald.options.Rule.startsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Options schema: one description of an options record reads, writes and checks it")
class OptionsSchemaTest {

  enum Mode { FAST, SAFE }

  record Sample(String url, String name, String level, int count, long waitMs, long capMs, boolean flag, Mode mode,
                List<String> hosts, long windowS, long limitS) {

    static final OptionsSchema<Sample> SCHEMA = OptionsSchema.of(Sample.class, "test.sample")
        .key("url", "redis://127.0.0.1:6379", notBlank(), startsWith("redis://", "rediss://"))
        .key("name", "events", matches("[a-z]+", "must be lower-case letters"))
        .key("level", "low", oneOf("low", "mid", "high"))
        .key("count", 4, positive(), atMost(1_000))
        .key("waitMs", 300L, atLeast(300))
        .key("capMs", 1_000L, between(1, 60_000))
        .key("flag", false)
        .key("mode", "safe")
        .key("hosts", "a:1, b:2", notBlank())
        .keyOf("windowS", "windowSeconds", 120)
        .key("limitS", 0)
        .require("capMs", ">=", "waitMs")
        .require("count", "<", "capMs", "or the count is meaningless")
        .requireUnlessZero("windowSeconds", "<=", "limitS")
        .build();

    Sample {
      SCHEMA.check(url, name, level, count, waitMs, capMs, flag, mode, hosts, windowS, limitS);
    }
  }

  @Test
  @DisplayName("absent keys take their defaults, read as configured values would be: an enum from its name, a list from text")
  void defaults() {
    Sample sample = Sample.SCHEMA.read(new JsonObject());

    assertThat(sample).isEqualTo(new Sample("redis://127.0.0.1:6379", "events", "low", 4, 300, 1_000, false, Mode.SAFE,
        List.of("a:1", "b:2"), 120, 0));
    assertThat(Sample.SCHEMA.read(null)).isEqualTo(sample);
  }

  @Test
  @DisplayName("numbers, booleans, enums and lists may arrive as text, as environment variables and -D overrides do")
  void textValues() {
    Sample sample = Sample.SCHEMA.read(new JsonObject().put("count", " 7 ").put("waitMs", "400").put("flag", "TRUE")
        .put("mode", "Fast").put("hosts", "x:1,y:2 ").put("windowSeconds", "30").put("limitS", "60"));

    assertThat(sample.count()).isEqualTo(7);
    assertThat(sample.waitMs()).isEqualTo(400);
    assertThat(sample.flag()).isTrue();
    assertThat(sample.mode()).isEqualTo(Mode.FAST);
    assertThat(sample.hosts()).containsExactly("x:1", "y:2");
    assertThat(sample.windowS()).isEqualTo(30);
    assertThat(Sample.SCHEMA.read(new JsonObject().put("hosts", new JsonArray().add("z:3").add(4))).hosts())
        .containsExactly("z:3", "4");
  }

  @Test
  @DisplayName("write gives every key under its config name, enums in lower case and lists as arrays; read gives it back")
  void roundTrip() {
    Sample sample = Sample.SCHEMA.read(new JsonObject().put("mode", "fast").put("windowSeconds", 30).put("limitS", 60));
    JsonObject json = Sample.SCHEMA.write(sample);

    assertThat(json.fieldNames()).containsExactly("url", "name", "level", "count", "waitMs", "capMs", "flag", "mode",
        "hosts", "windowSeconds", "limitS");
    assertThat(json.getString("mode")).isEqualTo("fast");
    assertThat(json.getJsonArray("hosts")).isEqualTo(new JsonArray().add("a:1").add("b:2"));
    assertThat(Sample.SCHEMA.read(json)).isEqualTo(sample);
    assertThat(Sample.SCHEMA.with(sample, "name", "other").name()).isEqualTo("other");
    assertThat(Sample.SCHEMA.with(sample, "name", "other").mode()).isEqualTo(Mode.FAST);
  }

  @Test
  @DisplayName("keys the schema does not know are ignored (the launcher rejects them against default.yaml)")
  void unknownKeys() {
    assertThat(Sample.SCHEMA.read(new JsonObject().put("colour", "blue"))).isEqualTo(Sample.SCHEMA.read(new JsonObject()));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "url    | ' '         | test.sample.url must not be blank",
      "url    | http://x    | test.sample.url must start with redis:// or rediss://, was 'http://x'",
      "name   | Events      | test.sample.name must be lower-case letters, was 'Events'",
      "level  | max         | test.sample.level must be low, mid or high, was 'max'",
      "count  | 0           | test.sample.count must be >= 1, was 0",
      "count  | 1001        | test.sample.count must be <= 1000, was 1001",
      "waitMs | 5           | test.sample.waitMs must be >= 300, was 5",
      "capMs  | 70000       | test.sample.capMs must be between 1 and 60000, was 70000",
      "capMs  | 200         | test.sample.capMs (200) must be >= waitMs (300)",
      "hosts  | ''          | test.sample.hosts must not contain a blank entry",
      "hosts  | 'a:1,,b:2'  | test.sample.hosts must not contain a blank entry",
      "mode   | slow        | test.sample.mode must be fast or safe, was 'slow'",
      "count  | many        | test.sample.count must be a whole number, was 'many'",
      "flag   | yes         | test.sample.flag must be true or false, was yes",
  })
  @DisplayName("a value that breaks its key's rule fails with a message starting with the full key")
  void ruleMessages(String key, String value, String message) {
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put(key, value)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  @DisplayName("rules between keys name the left key first, with both values, and a zero limit means no limit")
  void relations() {
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put("count", 100).put("capMs", 100).put("waitMs", 100)))
        .as("each key's own rules come first")
        .isInstanceOf(IllegalArgumentException.class).hasMessage("test.sample.waitMs must be >= 300, was 100");
    assertThat(Sample.SCHEMA.read(new JsonObject().put("count", 100).put("capMs", 400).put("waitMs", 300)).count())
        .isEqualTo(100);
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put("count", 500).put("capMs", 400)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("test.sample.count (500) must be < capMs (400), or the count is meaningless");
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put("windowSeconds", 120).put("limitS", 60)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("test.sample.windowSeconds (120) must be <= limitS (60)");
    assertThat(Sample.SCHEMA.read(new JsonObject().put("windowSeconds", 120).put("limitS", 0)).windowS()).isEqualTo(120);
  }

  @Test
  @DisplayName("values of the wrong JSON type name the key")
  void wrongTypes() {
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put("name", 5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("test.sample.name must be a string");
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put("count", 1.5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("test.sample.count must be a whole number");
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put("count", 3_000_000_000L)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("test.sample.count is out of range");
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put("mode", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("test.sample.mode must be fast or safe, was '1'");
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put("hosts", new JsonObject())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("test.sample.hosts must be a list or a comma-separated string");
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put("hosts", new JsonArray().add(new JsonArray()))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("test.sample.hosts must be a list");
    assertThatThrownBy(() -> Sample.SCHEMA.read(new JsonObject().put("hosts", new JsonArray())))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("test.sample.hosts must not be empty");
  }

  @Test
  @DisplayName("the record's constructor checks the same rules, and a null value names its key")
  void constructorChecks() {
    assertThatThrownBy(() -> new Sample("redis://h", "ok", "low", 0, 300, 1_000, false, Mode.FAST, List.of("h"), 1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("test.sample.count must be >= 1, was 0");
    assertThatThrownBy(() -> new Sample("redis://h", null, "low", 1, 300, 1_000, false, Mode.FAST, List.of("h"), 1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("test.sample.name must be set");
    assertThatThrownBy(() -> Sample.SCHEMA.check("redis://h", "ok"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("11 components");
    assertThatThrownBy(() -> Sample.SCHEMA.check("redis://h", "ok", "low", 300L, 4, 1_000L, false, Mode.FAST,
        List.of("h"), 1L, 0L)).isInstanceOf(IllegalStateException.class).hasMessageContaining("in order");
  }

  record Partial(int a, int b) {
  }

  record Odd(double ratio) {
  }

  @Test
  @DisplayName("a schema that misses a component, reads a type it cannot, or compares an unknown key fails when built")
  void badSchemas() {
    assertThatThrownBy(() -> OptionsSchema.of(Partial.class, "p").key("a", 1).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("[a, b]");
    assertThatThrownBy(() -> OptionsSchema.of(Partial.class, "p").key("a", 1).key("a", 2))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("a");
    assertThatThrownBy(() -> OptionsSchema.of(Partial.class, "p").key("c", 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("c");
    assertThatThrownBy(() -> OptionsSchema.of(Odd.class, "o").key("ratio", 0.5))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ratio is a double");
    assertThatThrownBy(() -> OptionsSchema.of(Partial.class, "p").key("a", 1).key("b", 2).require("a", ">", "c").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("a > c");
    assertThatThrownBy(() -> OptionsSchema.of(Partial.class, "p").require("a", "=>", "b"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("=>");
    assertThatThrownBy(() -> OptionsSchema.of(Partial.class, "p").key("a", "many"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("p.a must be a whole number");
  }
}
