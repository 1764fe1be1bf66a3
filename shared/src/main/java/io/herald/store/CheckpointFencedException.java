package io.herald.store;

/**
 * A checkpoint save was refused because a newer writer owns the checkpoint: another relay took the publisher lease,
 * or the projection was rebuilt since this writer started. The writer must stop moving it.
 */
public final class CheckpointFencedException extends EventStoreException {

  private final String name;
  private final long epoch;

  public CheckpointFencedException(String name, long epoch) {
    super("checkpoint '" + name + "' no longer belongs to epoch " + epoch
        + ": a newer writer claimed it (another relay holds the lease, or the projection was rebuilt)");
    this.name = name;
    this.epoch = epoch;
  }

  public String name() {
    return name;
  }

  /** @return the refused writer's epoch */
  public long epoch() {
    return epoch;
  }
}
