package io.herald.broker.redis;

import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.herald.broker.Delivery;
import io.herald.broker.RawMessage;
import io.herald.broker.StructuredCloudEvents;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The Redis broker's binding, as a third party sees it")
@Timeout(value = 60, unit = SECONDS)
class RedisBrokerBindingIT extends RedisTestSupport {

  @Test
  @DisplayName("XRANGE shows fields type, stream and event; event is a standard structured CloudEvent")
  void thirdPartyReadsTheEntryWithXrange() throws Exception {
    RedisBroker broker = started(o -> o);
    RecordedEvent event = new RecordedEvent(41, "order-42", orderPaid("42"));
    broker.publish(event).await(10, SECONDS);

    Response range = raw.send(Request.cmd(Command.XRANGE).arg(namespace + ".order").arg("-").arg("+")).await(10, SECONDS);

    assertThat(range.size()).isEqualTo(1);
    Response fields = range.get(0).get(1);
    assertThat(List.of(fields.get(0).toString(), fields.get(2).toString(), fields.get(4).toString()))
        .containsExactly("type", "stream", "event");
    assertThat(fields.get(1).toString()).isEqualTo("order.paid");
    assertThat(fields.get(3).toString()).isEqualTo("order-42");
    CloudEvent ce = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE)
        .deserialize(fields.get(5).toBytes());
    assertThat(ce.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(ce.getId()).isEqualTo(event.envelope().id().toString());
    assertThat(ce.getType()).isEqualTo("order.paid");
    assertThat(ce.getSource().toString()).isEqualTo(event.envelope().source());
    assertThat(ce.getSubject()).isEqualTo("42");
    assertThat(ce.getTime().toInstant()).isEqualTo(event.envelope().time());
    assertThat(ce.getDataContentType()).isEqualTo("application/json");
    assertThat(ce.getExtension("aggregatetype")).isEqualTo("order");
    assertThat(String.valueOf(ce.getExtension("position"))).isEqualTo("41");
    assertThat(ce.getExtension("streamid")).isEqualTo("order-42");
    assertThat(new JsonObject(new String(ce.getData().toBytes()))).isEqualTo(
        BlueprintEvents.registry().encode(event.data()));
    assertThat(StructuredCloudEvents.CONTENT_TYPE).isEqualTo(JsonFormat.CONTENT_TYPE);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RESP2", "RESP3"})
  @DisplayName("a third party's own consumer group reads the entry in either protocol, and the reply parser reads both shapes")
  void thirdPartyGroupReadsInEitherProtocol(String protocol) throws Exception {
    RedisBroker broker = started(o -> o);
    RecordedEvent event = new RecordedEvent(5, "order-5", orderShipped("5"));
    broker.publish(event).await(10, SECONDS);
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(REDIS)
        .setPreferredProtocolVersion(ProtocolVersion.valueOf(protocol)));
    try {
      client.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(namespace + ".order").arg("audit").arg("0"))
          .await(10, SECONDS);
      Response reply = client.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg("audit").arg("c1")
          .arg("COUNT").arg(10).arg("STREAMS").arg(namespace + ".order").arg(">")).await(10, SECONDS);

      assertThat(reply.isMap()).as("RESP3 answers a map, RESP2 an array").isEqualTo(protocol.equals("RESP3"));
      List<StreamEntry> entries = Replies.streams(reply);
      assertThat(entries).hasSize(1);
      assertThat(entries.get(0).stream()).isEqualTo(namespace + ".order");
      assertThat(entries.get(0).fields().keySet()).containsExactly("type", "stream", "event");
      assertThat(broker.decode(broker.binding().raw(entries.get(0)))).isEqualTo(event);
    } finally {
      client.close().await(5, SECONDS);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"resp2", "resp3"})
  @DisplayName("the adapter runs on either protocol: delivery, takeover with claimed entries and attempts, dead letters")
  void adapterRunsOnEitherProtocol(String protocol) throws Exception {
    RedisBroker first = started(o -> o.put("protocol", protocol));
    List<Delivery> held = new CopyOnWriteArrayList<>();
    first.subscribe("fulfil", List.of("order.*"), held::add).await(10, SECONDS);
    RecordedEvent one = new RecordedEvent(1, "order-p", orderPaid("p"));
    RecordedEvent two = new RecordedEvent(2, "order-p", orderShipped("p"));
    first.publishAll(List.of(one, two)).await(10, SECONDS);
    await("the first event arrives", 20, () -> held.size() == 1);
    first.close().await(10, SECONDS); // never settled

    RedisBroker second = started(o -> o.put("protocol", protocol));
    List<String> seen = new CopyOnWriteArrayList<>();
    second.subscribe("fulfil", List.of("order.*"), d -> {
      seen.add(d.event().position() + "#" + d.attempt());
      if (d.event().position() == 1) {
        d.ack();
      } else {
        d.deadLetter(new IllegalStateException("no stock"), d.attempt());
      }
    }).await(10, SECONDS);
    await("both events are settled", 20, () -> seen.size() == 2);

    // the second event may have been read by the first member too (held behind the first): then it counts 2
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isEqualTo("1#2");
    assertThat(seen.get(1)).isIn("2#1", "2#2");
    await("the dead letter is written", 10, () -> deadLetters(second).size() == 1);
    RawMessage letter = deadLetters(second).get(0);
    assertThat(second.decode(letter)).isEqualTo(two);
    assertThat(letter.headers()).containsEntry("herald-dead-letter-reason", "no stock")
        .containsEntry("herald-dead-letter-attempts", seen.get(1).substring(2))
        .containsEntry("herald-dead-letter-group", "fulfil")
        .containsEntry("type", "order.shipped");
    assertThat(letter.headers().get("herald-dead-letter-origin")).startsWith(namespace + ".order ");
    await("nothing stays pending", 10, () -> pending(namespace + ".order", namespace + ".fulfil") == 0);
  }

  @Test
  @DisplayName("maxLen trims each stream to about that many entries")
  void maxLenTrims() throws Exception {
    RedisBroker broker = started(o -> o.put("maxLen", 100));
    List<RecordedEvent> events = new java.util.ArrayList<>();
    for (int i = 1; i <= 1_000; i++) {
      events.add(new RecordedEvent(i, "order-" + (i % 7), orderPaid(String.valueOf(i))));
    }
    broker.publishAll(events).await(20, SECONDS);

    long length = raw.send(Request.cmd(Command.XLEN).arg(namespace + ".order")).await(5, SECONDS).toLong();
    assertThat(length).isBetween(100L, 300L);
  }

  @Test
  @DisplayName("an entry without an event field is delivered with the reason, its fields as headers, and consuming goes on")
  void entryWithoutEventField() throws Exception {
    RedisBroker broker = started(o -> o);
    List<Delivery> got = new CopyOnWriteArrayList<>();
    broker.subscribe("inspector", List.of("order.*"), d -> {
      got.add(d);
      d.ack();
    }).await(10, SECONDS);
    raw.send(Request.cmd(Command.SADD).arg(namespace + ".streams").arg("order")).await(5, SECONDS);
    raw.send(Request.cmd(Command.XADD).arg(namespace + ".order").arg("*").arg("note").arg("hello")).await(5, SECONDS);
    RecordedEvent good = new RecordedEvent(3, "order-g", orderPaid("g"));
    broker.publish(good).await(10, SECONDS);

    await("the good event arrives", 20, () -> got.stream().anyMatch(d -> good.equals(d.event())));
    Delivery junk = got.get(0);
    assertThat(junk.event()).isNull();
    assertThat(junk.decodeFailure()).hasMessageContaining("no 'event' field");
    assertThat(junk.message().headers()).containsEntry("note", "hello");
    assertThat(new JsonObject(junk.message().payloadText())).isEqualTo(new JsonObject().put("note", "hello"));
  }

  @Test
  @DisplayName("the broker's name, shown in logs and health output, hides the credentials of the connection string")
  void nameHidesCredentials() {
    RedisBroker broker = new RedisBroker(vertx, RedisBrokerOptions.fromJson(new JsonObject()
        .put("connectionString", "redis://app:s3cret@10.0.0.7:6380/2")), BlueprintEvents.registry());

    assertThat(broker.name()).isEqualTo("redis redis://***@10.0.0.7:6380/2 (events)").doesNotContain("s3cret");
  }

  private List<RawMessage> deadLetters(RedisBroker broker) {
    return get(broker.deadLetters("fulfil", 10));
  }

  static long pending(String stream, String group) {
    Response summary = get(raw.send(Request.cmd(Command.XPENDING).arg(stream).arg(group)));
    return summary.get(0).toLong();
  }
}
