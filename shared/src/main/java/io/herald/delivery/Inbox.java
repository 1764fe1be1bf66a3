package io.herald.delivery;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * Effectively-once handling: an event's effect is applied at most once per consumer, however often the broker
 * delivers it. The record "(consumer, event id) was handled" commits together with the effect, so a crash between
 * the two cannot leave one without the other.
 *
 * @param <T> what the effect works with: a SQL connection inside the inbox's transaction (PostgreSQL), or nothing
 *            (in memory)
 */
public interface Inbox<T> {

  /**
   * Applies {@code effect} unless {@code consumer} already handled {@code event}.
   *
   * @return {@code true} when the effect ran and committed, {@code false} when the event was a repeat; fails
   *     (with nothing recorded) when the effect fails
   */
  Future<Boolean> handleOnce(String consumer, RecordedEvent event, Function<T, Future<Void>> effect);
}
