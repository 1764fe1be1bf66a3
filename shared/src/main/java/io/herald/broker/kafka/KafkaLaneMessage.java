package io.herald.broker.kafka;

import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.broker.lanes.AbstractLaneMessage;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * One consumed record, read in the CloudEvents binding, on its way through a member's lanes: settling it records
 * the ack in the member's offsets (and the commit that follows).
 */
final class KafkaLaneMessage extends AbstractLaneMessage {

  final KafkaMember member;
  final TopicPartition partition;
  final long offset;
  final String key;
  final Headers headers;
  final byte[] value;
  final int epoch;
  /** whether the group's patterns exclude it: it is acked without being delivered */
  final boolean filteredOut;

  KafkaLaneMessage(KafkaMember member, TopicPartition partition, long offset, String key, Headers headers,
                   byte[] value, int epoch, RawMessage raw, RecordedEvent event, UndecodableMessageException failure,
                   boolean filteredOut) {
    // attempt 1: Kafka keeps no delivery count, a record redelivered after a rebalance or a restart starts again at 1
    super(laneOf(event, raw), event, failure, raw, 1);
    this.member = member;
    this.partition = partition;
    this.offset = offset;
    this.key = key;
    this.headers = headers;
    this.value = value;
    this.epoch = epoch;
    this.filteredOut = filteredOut;
  }

  /** @return where the record was read from, e.g. {@code events.order[2]@41} */
  static String origin(TopicPartition partition, long offset) {
    return partition.topic() + "[" + partition.partition() + "]@" + offset;
  }

  private static String laneOf(RecordedEvent event, RawMessage raw) {
    // a message that is not an event gets a lane of its own, so it never holds back a real stream
    return event != null ? event.streamId() : "\u0000undecodable " + raw.destination();
  }

  @Override
  public Future<Void> ack() {
    return member.ack(this);
  }

  @Override
  public Future<Void> deadLetter(Throwable reason, int attempts) {
    return member.deadLetter(this, reason, attempts);
  }
}
