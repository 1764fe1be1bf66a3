package io.herald.store;

import io.vertx.core.Future;

/**
 * Durable positions of named readers (the relay, projections, subscriptions): the last global position
 * each one has fully handled. A reader resumes at {@code load(name) + 1}.
 */
public interface CheckpointStore {

  /** @return the stored position of {@code name}, 0 when it has none */
  Future<Long> load(String name);

  /** Stores {@code position} for {@code name}; a lower position than the stored one is ignored. */
  Future<Void> save(String name, long position);

  /** Forgets {@code name}'s position, so it starts from the beginning (projection rebuilds). */
  Future<Void> reset(String name);
}
