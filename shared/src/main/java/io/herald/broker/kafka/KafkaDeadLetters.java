package io.herald.broker.kafka;

import io.herald.broker.DeadLetterHeaders;
import io.herald.broker.lanes.MemberMessage;
import io.vertx.core.Future;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes dead letters to {@code <topic>.DLT}: the original key, value and headers, plus why, after how many
 * attempts, for which group and from where ({@code herald-dead-letter-*} headers). The topic is created on demand.
 */
final class KafkaDeadLetters {

  private final KafkaTopics topics;
  private final KafkaPublisher publisher;

  KafkaDeadLetters(KafkaTopics topics, KafkaPublisher publisher) {
    this.topics = topics;
    this.publisher = publisher;
  }

  /** @return succeeds once Kafka confirmed the dead letter */
  Future<Void> send(MemberMessage<ConsumerRecord<String, byte[]>> message, String group, Throwable reason, int attempts) {
    ConsumerRecord<String, byte[]> record = message.source();
    String topic = KafkaTopics.deadLetterTopicOf(record.topic());
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
        headers.add(header);
      }
    }
    DeadLetterHeaders.of(reason, attempts, group, message.raw().destination())
        .forEach((name, value) -> headers.add(name, KafkaBinding.utf8(value)));
    ProducerRecord<String, byte[]> letter = new ProducerRecord<>(topic, null, record.key(), record.value(), headers);
    if (topics.isEnsured(topic)) {
      return publisher.send(letter);
    }
    return topics.ensure(List.of(topic)).compose(v -> publisher.send(letter));
  }
}
