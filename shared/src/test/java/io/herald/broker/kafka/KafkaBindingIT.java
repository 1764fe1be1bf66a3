package io.herald.broker.kafka;

import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.kafka.KafkaAvailabilityIT.awaitTrue;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.herald.broker.Delivery;
import io.herald.broker.StructuredCloudEvents;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a third party sees of Herald's events on Kafka, and what Herald reads from a third party, with Kafka's own client. */
@DisplayName("Herald's CloudEvents on Kafka, seen by a third party")
@Timeout(value = 90, unit = SECONDS)
class KafkaBindingIT {

  private static Vertx vertx;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    vertx.close().await(20, SECONDS);
    KafkaTestSupport.deleteNamespaces();
  }

  @Test
  @DisplayName("a plain Kafka consumer reads a binary-mode CloudEvent: ce_ headers, application/json data, key = stream id")
  void thirdPartyReadsHeraldsEvent() throws Exception {
    String namespace = KafkaTestSupport.namespace("bind");
    KafkaBroker broker = broker(namespace);
    RecordedEvent event = new RecordedEvent(31, "order-b1", orderPaid("b1").withSequence(4).withTraceparent(
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    try {
      broker.start().await(30, SECONDS);
      broker.publish(event).await(30, SECONDS);
    } finally {
      broker.close().await(20, SECONDS);
    }

    List<ConsumerRecord<String, byte[]>> records = KafkaTestSupport.readAll((namespace + ".order")::equals);
    assertThat(records).hasSize(1);
    ConsumerRecord<String, byte[]> record = records.get(0);
    Map<String, String> headers = KafkaTestSupport.headers(record);
    assertThat(record.key()).isEqualTo("order-b1");
    assertThat(headers).containsEntry("content-type", "application/json")
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_id", event.envelope().id().toString())
        .containsEntry("ce_source", "/herald/test")
        .containsEntry("ce_type", "order.paid")
        .containsEntry("ce_subject", event.envelope().subject())
        .containsEntry("ce_aggregatetype", "order")
        .containsEntry("ce_sequence", "4")
        .containsEntry("ce_correlationid", event.envelope().correlationid())
        .containsEntry("ce_schemaversion", Integer.toString(event.envelope().schemaversion()))
        .containsEntry("ce_traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        .containsEntry("ce_position", "31")
        .containsEntry("ce_streamid", "order-b1");
    JsonObject data = new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
    assertThat(data.getString("orderId")).isEqualTo("b1");

    // the CloudEvents SDK accepts every attribute and extension name and value
    CloudEventBuilder builder = CloudEventBuilder.v1()
        .withId(headers.get("ce_id"))
        .withSource(URI.create(headers.get("ce_source")))
        .withType(headers.get("ce_type"))
        .withSubject(headers.get("ce_subject"))
        .withTime(OffsetDateTime.parse(headers.get("ce_time")))
        .withDataContentType(headers.get("content-type"))
        .withData(record.value());
    headers.forEach((name, value) -> {
      String attribute = name.startsWith("ce_") ? name.substring(3) : null;
      if (attribute != null && !List.of("specversion", "id", "source", "type", "subject", "time").contains(attribute)) {
        builder.withExtension(attribute, value);
      }
    });
    CloudEvent cloudEvent = builder.build();
    assertThat(cloudEvent.getExtension("streamid")).isEqualTo("order-b1");
    assertThat(cloudEvent.getTime().toInstant()).isEqualTo(event.envelope().time());
    byte[] structured = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).serialize(cloudEvent);
    assertThat(new StructuredCloudEvents(BlueprintEvents.registry()).decode(Buffer.buffer(structured))).isEqualTo(event);

    try (Admin admin = KafkaTestSupport.admin()) {
      TopicDescription topic = admin.describeTopics(List.of(namespace + ".order")).allTopicNames()
          .get(20, TimeUnit.SECONDS).get(namespace + ".order");
      assertThat(topic.partitions()).as("partitions of a topic the adapter created").hasSize(4);
    }
  }

  @Test
  @DisplayName("events a third party writes in binary or structured mode reach a Herald group decoded")
  void heraldReadsThirdPartyEvents() throws Exception {
    String namespace = KafkaTestSupport.namespace("foreign");
    KafkaBroker broker = broker(namespace);
    List<Delivery> got = new CopyOnWriteArrayList<>();
    try {
      broker.start().await(30, SECONDS);
      broker.subscribe("reader", List.of("order.paid"), d -> {
        got.add(d);
        d.ack();
      }).await(30, SECONDS);
      RecordedEvent binary = new RecordedEvent(7, "order-t1", orderPaid("t1"));
      RecordedEvent structured = new RecordedEvent(8, "order-t2", orderPaid("t2"));
      JsonObject document = new StructuredCloudEvents(BlueprintEvents.registry()).encodeJson(binary);

      RecordHeaders headers = new RecordHeaders();
      headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
      for (String name : List.of("specversion", "id", "source", "type", "time", "subject", "position", "streamid",
          "correlationid", "sequence", "aggregatetype", "schemaversion")) {
        headers.add("ce_" + name, String.valueOf(document.getValue(name)).getBytes(StandardCharsets.UTF_8));
      }
      KafkaTestSupport.send(new ProducerRecord<>(namespace + ".order", null, "order-t1",
          document.getJsonObject("data").toBuffer().getBytes(), headers));
      RecordHeaders structuredHeaders = new RecordHeaders();
      structuredHeaders.add("content-type", "application/cloudevents+json; charset=utf-8".getBytes(StandardCharsets.UTF_8));
      KafkaTestSupport.send(new ProducerRecord<>(namespace + ".order", null, "order-t2",
          new StructuredCloudEvents(BlueprintEvents.registry()).encode(structured).getBytes(), structuredHeaders));

      awaitTrue("both events arrive", 30, () -> got.size() >= 2);
      assertThat(got).extracting(Delivery::event).containsExactlyInAnyOrder(binary, structured);
      assertThat(got).allSatisfy(d -> assertThat(d.message().destination()).startsWith(namespace + ".order["));
    } finally {
      broker.close().await(20, SECONDS);
    }
  }

  private static KafkaBroker broker(String namespace) {
    return new KafkaBroker(vertx, KafkaBrokerOptions.defaults().withNamespace(namespace), BlueprintEvents.registry());
  }
}
