package io.herald.saga;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Where sagas are kept, so that a restarted process finds every saga it had in flight. Two implementations share
 * one contract: {@link InMemorySagaStore} (embedded) and {@link PgSagaStore} (the store's PostgreSQL schema).
 */
public interface SagaStore {

  /**
   * Stores new sagas; one whose id is already stored is left as it is.
   *
   * @return the sagas that were new, in the order given
   */
  Future<List<SagaState>> createAll(List<SagaState> sagas);

  /** Stores a saga's new state over the old one. */
  Future<Void> save(SagaState saga);

  /** @return the saga, or empty when none has this id */
  Future<Optional<SagaState>> get(String id);

  /**
   * @param orderId only sagas of this order, or {@code null} for any
   * @param status  only sagas in this status, or {@code null} for any
   * @param limit   at most this many, the oldest first
   */
  Future<List<SagaState>> find(String orderId, SagaStatus status, int limit);

  /** @return every saga that has not finished, the oldest first */
  Future<List<SagaState>> unfinished();

  /**
   * @param fenceKey the role lease's key in the store ({@code role_leases.key}), or {@code null} for no fence
   * @param epoch    the epoch the writes carry, read at each write
   * @return a store whose writes are refused once {@code epoch} is no longer the role's; this store itself when it
   *     keeps no epochs (one process)
   */
  default SagaStore fencedBy(String fenceKey, java.util.function.LongSupplier epoch) {
    return this;
  }

  /** @return how many sagas there are of each status (statuses without any are absent) */
  Future<java.util.Map<SagaStatus, Long>> countByStatus();
}
