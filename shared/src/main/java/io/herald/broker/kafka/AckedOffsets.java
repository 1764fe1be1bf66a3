package io.herald.broker.kafka;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a member may commit: per partition, the offsets it received in order and which of them are acked. Streams of
 * one partition are settled out of order (lanes run in parallel), but Kafka keeps one position per partition, so the
 * committable position is the offset after the highest contiguous acked one. Not thread-safe: confined to the
 * member's context.
 */
final class AckedOffsets {

  private static final class Partition {
    final ArrayDeque<Long> received = new ArrayDeque<>();
    final Set<Long> acked = new HashSet<>();
    long next = -1;      // offset after the highest contiguous acked one, -1 before the first ack
    long committed = -1; // the last position handed out for a commit
  }

  private final Map<TopicPartition, Partition> partitions = new HashMap<>();

  /** Records an offset handed to the lanes; offsets of a partition arrive in increasing order. */
  void received(TopicPartition partition, long offset) {
    partitions.computeIfAbsent(partition, p -> new Partition()).received.addLast(offset);
  }

  /** Records an ack; the committable position moves when the oldest received offsets are all acked. */
  void acked(TopicPartition partition, long offset) {
    Partition p = partitions.get(partition);
    if (p == null) {
      return;
    }
    p.acked.add(offset);
    while (!p.received.isEmpty() && p.acked.remove(p.received.peekFirst())) {
      p.next = p.received.pollFirst() + 1;
    }
  }

  /** @return the positions that moved since the last call, to commit; marks them handed out */
  Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    partitions.forEach((tp, p) -> {
      if (p.next > p.committed) {
        commit.put(tp, new OffsetAndMetadata(p.next));
        p.committed = p.next;
      }
    });
    return commit;
  }

  /** @return every partition's committable position, whether handed out before or not (for a final commit) */
  Map<TopicPartition, OffsetAndMetadata> allPositions() {
    Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>();
    partitions.forEach((tp, p) -> {
      if (p.next >= 0) {
        all.put(tp, new OffsetAndMetadata(p.next));
        p.committed = p.next;
      }
    });
    return all;
  }

  /** Marks positions handed out by a commit that failed, so the next {@link #takeCommittable()} includes them. */
  void recommit(Iterable<TopicPartition> failed) {
    for (TopicPartition tp : failed) {
      Partition p = partitions.get(tp);
      if (p != null) {
        p.committed = -1;
      }
    }
  }

  /** @return how many received offsets are not acked yet */
  int unacked() {
    int n = 0;
    for (Partition p : partitions.values()) {
      n += p.received.size() - p.acked.size();
    }
    return n;
  }

  /** Forgets everything (the partitions were revoked or lost: their next owner starts from the last commit). */
  void clear() {
    partitions.clear();
  }
}
