package io.herald.delivery.memory;

import io.herald.delivery.DeadLetter;
import io.herald.delivery.DeadLetterStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Dead letters in this process only (the embedded default). Thread-safe. */
public final class InMemoryDeadLetterStore implements DeadLetterStore {

  private final Map<Long, DeadLetter> bySeq = new ConcurrentSkipListMap<>();
  private final Map<UUID, Long> seqById = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong();

  @Override
  public Future<DeadLetter> add(DeadLetter letter) {
    synchronized (bySeq) {
      Long existing = seqById.get(letter.id());
      DeadLetter stored;
      if (existing != null) {
        DeadLetter before = bySeq.get(existing);
        stored = new DeadLetter(before.id(), before.seq(), before.consumer(), before.broker(), before.message(),
            before.eventId(), before.eventType(), before.streamId(), before.position(), letter.attempts(),
            letter.lastError(), before.firstFailedAt(), letter.lastFailedAt(), before.redrives());
      } else {
        stored = letter.withSeq(seq.incrementAndGet());
        seqById.put(stored.id(), stored.seq());
      }
      bySeq.put(stored.seq(), stored);
      return Future.succeededFuture(stored);
    }
  }

  @Override
  public Future<List<DeadLetter>> list(String consumer, long afterSeq, int limit) {
    return Future.succeededFuture(bySeq.values().stream()
        .filter(l -> l.seq() > afterSeq && (consumer == null || consumer.equals(l.consumer())))
        .limit(limit)
        .toList());
  }

  @Override
  public Future<Optional<DeadLetter>> get(UUID id) {
    Long s = seqById.get(id);
    return Future.succeededFuture(s == null ? Optional.empty() : Optional.ofNullable(bySeq.get(s)));
  }

  @Override
  public Future<Boolean> delete(UUID id) {
    Long s = seqById.remove(id);
    return Future.succeededFuture(s != null && bySeq.remove(s) != null);
  }

  @Override
  public Future<Optional<DeadLetter>> redriveFailed(UUID id, String error) {
    Long s = seqById.get(id);
    DeadLetter updated = s == null ? null : bySeq.computeIfPresent(s, (k, l) -> l.redriveFailed(error, Instant.now()));
    return Future.succeededFuture(Optional.ofNullable(updated));
  }
}
