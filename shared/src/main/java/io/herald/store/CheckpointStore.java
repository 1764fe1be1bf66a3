package io.herald.store;

import io.vertx.core.Future;

/**
 * Durable positions of named readers (the relay, projections, subscriptions): the last global position
 * each one has fully handled. A reader resumes at {@code load(name) + 1}.
 *
 * <p>Each checkpoint has an epoch, the fencing token of the writer it belongs to. A writer that may be replaced
 * while it still runs (a relay whose lease another process took over, a projection being rebuilt) saves with
 * {@link #save(String, long, long)}, which moves the checkpoint only while the epoch is still the writer's.
 */
public interface CheckpointStore {

  /** @return the stored position of {@code name}, 0 when it has none */
  Future<Long> load(String name);

  /** @return the stored position and epoch of {@code name}; position and epoch 0 when it has none */
  Future<Checkpoint> open(String name);

  /** Stores {@code position} for {@code name} whatever its epoch; a lower position than the stored one is ignored. */
  Future<Void> save(String name, long position);

  /**
   * Stores {@code position} for {@code name} if {@code epoch} is still the checkpoint's epoch; a lower position than
   * the stored one is ignored.
   *
   * @return fails with {@link CheckpointFencedException} when a newer writer owns the checkpoint
   */
  Future<Void> save(String name, long position, long epoch);

  /**
   * Makes the writer of {@code epoch} the checkpoint's owner, fencing off every older one.
   *
   * @return the stored position; fails with {@link CheckpointFencedException} when a writer of a higher epoch
   *     claimed it already
   */
  Future<Long> claim(String name, long epoch);

  /**
   * Moves {@code name} back to position 0 (projection rebuilds) and raises its epoch, so that no save of a writer
   * started before the reset moves it any more.
   *
   * @return the new epoch
   */
  Future<Long> reset(String name);
}
