package io.herald.broker.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.broker.TypePatterns;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("NATS broker options and names")
class NatsBrokerOptionsTest {

  @Test
  @DisplayName("absent keys take their defaults, and toJson reads back to the same options")
  void defaultsAndRoundTrip() {
    NatsBrokerOptions defaults = NatsBrokerOptions.fromJson(new JsonObject());

    assertThat(defaults).isEqualTo(NatsBrokerOptions.defaults());
    assertThat(defaults.servers()).containsExactly("nats://127.0.0.1:4222");
    assertThat(defaults.namespace()).isEqualTo("events");
    assertThat(defaults.ackWaitMs()).isGreaterThan(defaults.redeliveryCapMs());
    assertThat(NatsBrokerOptions.fromJson(defaults.toJson())).isEqualTo(defaults);
    NatsBrokerOptions custom = NatsBrokerOptions.fromJson(new JsonObject().put("namespace", "t1").put("fetchBatch", 7));
    assertThat(NatsBrokerOptions.fromJson(custom.toJson())).isEqualTo(custom);
  }

  @Test
  @DisplayName("servers may be a comma-separated string or a list; numbers may arrive as text")
  void serversAndNumbersAcceptConfigForms() {
    assertThat(NatsBrokerOptions.fromJson(new JsonObject().put("servers", "nats://a:1, nats://b:2")).servers())
        .containsExactly("nats://a:1", "nats://b:2");
    assertThat(NatsBrokerOptions.fromJson(new JsonObject().put("servers", new JsonArray().add("nats://c:3"))).servers())
        .containsExactly("nats://c:3");
    assertThat(NatsBrokerOptions.fromJson(new JsonObject().put("fetchBatch", "64")).fetchBatch()).isEqualTo(64);
  }

  @Test
  @DisplayName("invalid values are refused with the key's full name")
  void invalidValuesNameTheirKey() {
    assertInvalid(new JsonObject().put("namespace", "a.b"), "broker.nats.namespace");
    assertInvalid(new JsonObject().put("namespace", ""), "broker.nats.namespace");
    assertInvalid(new JsonObject().put("servers", " "), "broker.nats.servers");
    assertInvalid(new JsonObject().put("fetchBatch", 0), "broker.nats.fetchBatch");
    assertInvalid(new JsonObject().put("fetchWaitMs", 10), "broker.nats.fetchWaitMs");
    assertInvalid(new JsonObject().put("publishWindow", "many"), "broker.nats.publishWindow");
    assertInvalid(new JsonObject().put("ackWaitMs", 5_000).put("redeliveryCapMs", 5_000), "broker.nats.ackWaitMs");
    assertInvalid(new JsonObject().put("redeliveryBaseMs", 500).put("redeliveryCapMs", 100), "broker.nats.redeliveryCapMs");
    assertInvalid(new JsonObject().put("maxBufferedPerMember", 5_000).put("maxAckPending", 100),
        "broker.nats.maxBufferedPerMember");
    assertInvalid(new JsonObject().put("maxAgeSeconds", 60).put("duplicateWindowSeconds", 120),
        "broker.nats.duplicateWindowSeconds");
    assertInvalid(new JsonObject().put("leaseTtlMs", 10), "broker.nats.leaseTtlMs");
    assertInvalid(new JsonObject().put("replicas", 1.5), "broker.nats.replicas");
  }

  @Test
  @DisplayName("names: stream, subjects, dead letters and lease bucket follow the namespace")
  void namesFollowTheNamespace() {
    NatsNames names = new NatsNames("events");

    assertThat(names.stream()).isEqualTo("EVENTS");
    assertThat(names.streamSubjects()).isEqualTo("events.>");
    assertThat(names.subject("order.created")).isEqualTo("events.order.created");
    assertThat(names.typeOf("events.order.created")).isEqualTo("order.created");
    assertThat(names.typeOf("other.order.created")).isNull();
    assertThat(names.deadStream()).isEqualTo("EVENTS_DEAD");
    assertThat(names.deadSubject("billing")).isEqualTo("events_dead.billing");
    assertThat(names.deadStreamSubjects()).isEqualTo("events_dead.>");
    assertThat(names.leaseBucket()).isEqualTo("EVENTS_LEASES");
  }

  @Test
  @DisplayName("a group's filter subject is the narrowest subject holding every type its patterns match")
  void filterSubjects() {
    NatsNames names = new NatsNames("events");

    assertThat(names.filterSubject(TypePatterns.of("order.*"))).isEqualTo("events.order.>");
    assertThat(names.filterSubject(TypePatterns.of("order.cre*"))).isEqualTo("events.order.>");
    assertThat(names.filterSubject(TypePatterns.of("user.registered"))).isEqualTo("events.user.registered");
    assertThat(names.filterSubject(TypePatterns.of("*"))).isEqualTo("events.>");
    assertThat(names.filterSubject(TypePatterns.of("*.failed"))).isEqualTo("events.>");
    assertThat(names.filterSubject(TypePatterns.of("order.*", "user.registered"))).isEqualTo("events.>");
    assertThat(names.filterSubject(TypePatterns.of(List.of("order.*", "order.*")))).isEqualTo("events.order.>");
  }

  @Test
  @DisplayName("group names and event types that cannot be NATS names are refused")
  void invalidGroupsAndTypes() {
    assertThatThrownBy(() -> NatsNames.validateGroup("billing.v2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("billing.v2");
    assertThatThrownBy(() -> NatsNames.validateGroup("")).isInstanceOf(IllegalArgumentException.class);
    NatsNames.validateGroup("billing_v2-eu");
    assertThatThrownBy(() -> NatsNames.validateType("order.>")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NatsNames.validateType("order..paid")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NatsNames.validateType("order paid")).isInstanceOf(IllegalArgumentException.class);
    NatsNames.validateType("order.paid");
  }

  @Test
  @DisplayName("dead-letter header values are printable ASCII on one line")
  void headerValuesAreSanitized() {
    assertThat(NatsMember.headerValue("line one\nline two – done")).isEqualTo("line one?line two ? done");
  }

  private static void assertInvalid(JsonObject json, String key) {
    assertThatThrownBy(() -> NatsBrokerOptions.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key);
  }
}
