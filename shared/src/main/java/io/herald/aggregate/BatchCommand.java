package io.herald.aggregate;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import io.herald.event.DomainEvent;

/**
 * One command of a batch decided together on one aggregate ({@link AggregateRepository#handleAll}).
 *
 * @param correlationId the flow the command belongs to, or {@code null} to start one
 * @param causationId   what caused it, or {@code null}
 * @param decide        given the aggregate as the commands before it left it, the events to append; throws
 *                      {@link CommandRejectedException} to refuse. It may run more than once: no side effects.
 * @param <S>           the state type
 */
public record BatchCommand<S>(String correlationId, String causationId, Function<Loaded<S>, List<? extends DomainEvent>> decide) {

  public BatchCommand {
    Objects.requireNonNull(decide, "decide");
  }
}
