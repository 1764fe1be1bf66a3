package io.herald.aggregate;

import io.vertx.core.Future;
import java.util.List;

/**
 * What a batch of commands on one aggregate did.
 *
 * @param after    the aggregate after the batch
 * @param outcomes each command's outcome, in the batch's order: completed futures, a refused command failed
 * @param <S>      the state type
 */
public record BatchResult<S>(Loaded<S> after, List<Future<CommandResult<S>>> outcomes) {

  public BatchResult {
    outcomes = List.copyOf(outcomes);
  }
}
