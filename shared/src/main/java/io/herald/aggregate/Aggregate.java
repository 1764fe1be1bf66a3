package io.herald.aggregate;

import io.herald.event.DomainEvent;
import io.vertx.core.json.JsonObject;

/**
 * How one aggregate type is rebuilt from its events. State is immutable: {@link #apply} returns the next state.
 *
 * @param <S> the state type
 */
public interface Aggregate<S> {

  /** @return the aggregate type, e.g. {@code order}; streams are named {@code <type>-<id>} */
  String type();

  /** @return the state of an aggregate that has no events yet */
  S initial();

  /** @return the state after {@code event}; must not fail for an event this aggregate stored itself */
  S apply(S state, DomainEvent event);

  /**
   * @return names the shape of {@link #toSnapshot}'s output; change it when the shape changes, and snapshots of
   *     the old shape are ignored (the state is rebuilt from events instead)
   */
  default String snapshotType() {
    return type() + "-v1";
  }

  /** @return the state as JSON for a snapshot */
  JsonObject toSnapshot(S state);

  /** @return the state read back from {@link #toSnapshot}'s output */
  S fromSnapshot(JsonObject snapshot);
}
