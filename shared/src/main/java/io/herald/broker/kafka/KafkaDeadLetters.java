package io.herald.broker.kafka;

import io.herald.broker.DeadLetterHeaders;
import io.vertx.core.Future;
import java.util.List;
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
  Future<Void> send(KafkaLaneMessage message, String group, Throwable reason, int attempts) {
    String topic = KafkaTopics.deadLetterTopicOf(message.partition.topic());
    RecordHeaders headers = new RecordHeaders();
    for (Header header : message.headers) {
      if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
        headers.add(header);
      }
    }
    String why = reason == null ? "unknown" : reason.getMessage() == null ? reason.toString() : reason.getMessage();
    headers.add(DeadLetterHeaders.REASON, KafkaBinding.utf8(why));
    headers.add(DeadLetterHeaders.ATTEMPTS, KafkaBinding.utf8(Integer.toString(attempts)));
    headers.add(DeadLetterHeaders.GROUP, KafkaBinding.utf8(group));
    headers.add(DeadLetterHeaders.ORIGIN, KafkaBinding.utf8(KafkaLaneMessage.origin(message.partition, message.offset)));
    ProducerRecord<String, byte[]> letter = new ProducerRecord<>(topic, null, message.key, message.value, headers);
    if (topics.isEnsured(topic)) {
      return publisher.send(letter);
    }
    return topics.ensure(List.of(topic)).compose(v -> publisher.send(letter));
  }
}
