package io.herald.store.memory;

import io.herald.store.CheckpointFencingContract;
import io.herald.store.CheckpointStore;
import org.junit.jupiter.api.DisplayName;

@DisplayName("In-memory checkpoint fencing")
class InMemoryCheckpointFencingTest extends CheckpointFencingContract {

  private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();

  @Override
  protected CheckpointStore checkpoints() {
    return checkpoints;
  }
}
