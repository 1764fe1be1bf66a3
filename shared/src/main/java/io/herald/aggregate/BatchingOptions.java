package io.herald.aggregate;

/**
 * Settings of a {@link CommandBatcher}.
 *
 * @param maxBatch  most commands of one aggregate decided and appended together
 * @param maxQueued most commands waiting for one aggregate; more are refused as busy. Sized so that a full queue is
 *                  drained well within the time callers wait for an answer.
 * @param maxCached most aggregates kept in memory as the last batch left them
 */
public record BatchingOptions(int maxBatch, int maxQueued, int maxCached) {

  public BatchingOptions {
    if (maxBatch < 1 || maxQueued < 1 || maxCached < 0) {
      throw new IllegalArgumentException("batching options out of range: maxBatch and maxQueued must be at least 1, "
          + "maxCached at least 0: " + this);
    }
  }
}
