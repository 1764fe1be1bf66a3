package io.herald.delivery.memory;

import io.herald.delivery.Inbox;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The inbox of the embedded default: the effect is in this process too, so remembering handled ids here is enough;
 * an event whose effect is running is not started a second time.
 */
public final class InMemoryInbox implements Inbox<Void> {

  private final Map<String, Future<Boolean>> handled = new ConcurrentHashMap<>();

  @Override
  public Future<Boolean> handleOnce(String consumer, RecordedEvent event, Function<Void, Future<Void>> effect) {
    String key = consumer + "\u0000" + event.envelope().id();
    io.vertx.core.Promise<Boolean> mine = io.vertx.core.Promise.promise();
    Future<Boolean> previous = handled.putIfAbsent(key, mine.future());
    if (previous != null) {
      // a repeat, unless the first attempt failed: then this one takes over
      return previous.transform(ar -> ar.succeeded() ? Future.succeededFuture(false) : retry(key, previous, consumer, event, effect));
    }
    run(effect, mine, key);
    return mine.future();
  }

  private Future<Boolean> retry(String key, Future<Boolean> failed, String consumer, RecordedEvent event,
                                Function<Void, Future<Void>> effect) {
    handled.remove(key, failed);
    return handleOnce(consumer, event, effect);
  }

  private void run(Function<Void, Future<Void>> effect, io.vertx.core.Promise<Boolean> mine, String key) {
    Future<Void> applied;
    try {
      applied = effect.apply(null);
    } catch (RuntimeException e) {
      applied = Future.failedFuture(e);
    }
    applied.onComplete(ar -> {
      if (ar.succeeded()) {
        mine.complete(true);
      } else {
        handled.remove(key, mine.future());
        mine.fail(ar.cause());
      }
    });
  }
}
