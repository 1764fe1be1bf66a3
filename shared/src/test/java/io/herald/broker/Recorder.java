package io.herald.broker;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A consumer-group handler that remembers what it received, in arrival order, and acks it. */
public final class Recorder implements Function<RecordedEvent, Future<Void>> {

  private final List<RecordedEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public Future<Void> apply(RecordedEvent event) {
    events.add(event);
    return Future.succeededFuture();
  }

  public List<RecordedEvent> events() {
    return List.copyOf(events);
  }

  public int size() {
    return events.size();
  }

  public boolean received(long position) {
    return events.stream().anyMatch(e -> e.position() == position);
  }
}
