package io.herald.delivery;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where dead letters are kept: in memory, or in the store's PostgreSQL schema ({@code dead_letters}). */
public interface DeadLetterStore {

  /**
   * Keeps a dead letter; one with the same id (the same message failing again in the same consumer) is updated
   * instead: its attempts, last error and last failure time.
   *
   * @return the dead letter as stored (its {@code seq} assigned)
   */
  Future<DeadLetter> add(DeadLetter letter);

  /**
   * @param consumer only this consumer group's, or {@code null} for all
   * @param afterSeq only those listed after this one (0 for the first page)
   * @param limit    at most this many
   * @return dead letters in the order they were added
   */
  Future<List<DeadLetter>> list(String consumer, long afterSeq, int limit);

  Future<Optional<DeadLetter>> get(UUID id);

  /** @return whether it existed */
  Future<Boolean> delete(UUID id);

  /** Records a redrive that failed again: the new error and time, one more failed redrive. */
  Future<Optional<DeadLetter>> redriveFailed(UUID id, String error);
}
