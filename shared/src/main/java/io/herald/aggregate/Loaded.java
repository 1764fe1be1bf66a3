package io.herald.aggregate;

/**
 * An aggregate as it stands in the store.
 *
 * @param id      the aggregate id
 * @param state   its state after every stored event
 * @param version its stream version (0 when it has no events)
 * @param <S>     the state type
 */
public record Loaded<S>(String id, S state, long version) {

  public boolean exists() {
    return version > 0;
  }
}
