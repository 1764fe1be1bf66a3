package io.herald.delivery;

import java.util.UUID;

/** No dead letter has this id (never kept, redriven or deleted since). */
public final class DeadLetterNotFoundException extends RuntimeException {

  public DeadLetterNotFoundException(UUID id) {
    super("dead letter " + id + " does not exist");
  }
}
