package io.herald.gateway.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Feed queries: types, from, Last-Event-ID")
class FeedQueryTest {

  @Test
  @DisplayName("types are comma-separated patterns, over one or several parameters; none means every type")
  void types() {
    FeedQuery query = FeedQuery.parse(List.of("order.*,user.registered", " payment.* "), null, null);
    assertThat(query.types()).containsExactly("order.*", "user.registered", "payment.*");
    assertThat(query.patterns().matches("order.created")).isTrue();
    assertThat(query.patterns().matches("user.registered")).isTrue();
    assertThat(query.patterns().matches("inventory.reserved")).isFalse();
    assertThat(FeedQuery.parse(List.of(), null, null).patterns().matches("anything.at.all")).isTrue();
    assertThat(FeedQuery.parse(List.of(), null, null).from()).isNull();
  }

  @Test
  @DisplayName("from is inclusive (0 means 1); Last-Event-ID wins and resumes right after it")
  void positions() {
    assertThat(FeedQuery.parse(List.of(), "42", null).from()).isEqualTo(42);
    assertThat(FeedQuery.parse(List.of(), "0", null).from()).isEqualTo(1);
    assertThat(FeedQuery.parse(List.of(), "42", "57").from()).isEqualTo(58);
    assertThat(FeedQuery.parse(List.of(), null, "0").from()).isEqualTo(1);
  }

  @Test
  @DisplayName("bad values are refused naming the parameter")
  void refused() {
    assertThatThrownBy(() -> FeedQuery.parse(List.of(), "abc", null)).hasMessageContaining("from");
    assertThatThrownBy(() -> FeedQuery.parse(List.of(), "-1", null)).hasMessageContaining("from must be >= 0");
    assertThatThrownBy(() -> FeedQuery.parse(List.of(), null, "x")).hasMessageContaining("Last-Event-ID");
    assertThatThrownBy(() -> FeedQuery.parse(List.of("order.* user"), null, null)).hasMessageContaining("types");
  }

  @Test
  @DisplayName("a WebSocket subscription change takes types as a string or an array, and a whole-number from")
  void json() {
    assertThat(FeedQuery.fromJson(new JsonObject().put("types", "order.*,user.*")).types()).containsExactly("order.*", "user.*");
    FeedQuery query = FeedQuery.fromJson(new JsonObject("{\"types\":[\"order.*\"],\"from\":7}"));
    assertThat(query.types()).containsExactly("order.*");
    assertThat(query.from()).isEqualTo(7);
    assertThat(FeedQuery.fromJson(new JsonObject()).types()).isEmpty();
    assertThatThrownBy(() -> FeedQuery.fromJson(new JsonObject().put("types", 5))).hasMessageContaining("types");
    assertThatThrownBy(() -> FeedQuery.fromJson(new JsonObject().put("from", "7"))).hasMessageContaining("from");
    assertThatThrownBy(() -> FeedQuery.fromJson(new JsonObject().put("form", 7))).hasMessageContaining("unknown field 'form'");
  }
}
