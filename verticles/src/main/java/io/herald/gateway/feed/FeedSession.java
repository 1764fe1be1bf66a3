package io.herald.gateway.feed;

import io.herald.broker.TypePatterns;
import io.herald.event.RecordedEvent;
import io.herald.store.EventPage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's subscription: catches up from the store a page at a time (waiting for the connection to drain
 * between pages), then takes live events from the {@link FeedHub}, in global order, without a gap or a repeat.
 *
 * <p>Live events the connection cannot take at once wait in a buffer of {@link FeedOptions#bufferEvents()}; a client
 * that lets it overflow is disconnected with the reason, so it never holds up the hub or other clients. All state is
 * confined to the connection's context.
 */
final class FeedSession {

  private static final Logger log = LoggerFactory.getLogger(FeedSession.class);

  /** Live events are written in batches of about this size, so a full connection is noticed within one batch. */
  private static final int SEND_BATCH_BYTES = 32 * 1024;

  private enum Mode { STARTING, CATCHING_UP, LIVE, CLOSED }

  private final FeedHub hub;
  private final FeedSink sink;
  private final FeedQuery query;
  private final TypePatterns patterns;
  private final Context context;
  private final Runnable onStarted;
  private final ArrayDeque<FeedEvent> waiting = new ArrayDeque<>();
  private Mode mode = Mode.STARTING;
  private long next;
  private boolean drainPending;

  /**
   * @param onStarted run once the start position is known (the WebSocket feed acknowledges the subscription then)
   */
  FeedSession(FeedHub hub, FeedSink sink, FeedQuery query, Runnable onStarted) {
    this.hub = hub;
    this.sink = sink;
    this.query = query;
    this.patterns = query.patterns();
    this.context = Vertx.currentContext();
    this.onStarted = onStarted;
    if (context == null) {
      throw new IllegalStateException("a feed session starts on its connection's context");
    }
  }

  Context context() {
    return context;
  }

  /** @return the next position this session delivers (or skips, when its type is filtered out) */
  long nextPosition() {
    return next;
  }

  FeedQuery query() {
    return query;
  }

  /** @return where a new subscription picks up from this one: the first event not sent yet; 0 before the start */
  long resumePosition() {
    return waiting.isEmpty() ? next : waiting.peek().position();
  }

  /** Joins the hub at once (live events are ignored until the catch-up meets them), then catches up. */
  void start() {
    hub.join(this);
    Future<Long> start = query.from() != null ? Future.succeededFuture(query.from())
        : hub.store().headPosition().map(head -> head + 1);
    start.onComplete(ar -> onContext(() -> {
      if (mode == Mode.CLOSED) {
        return;
      }
      if (ar.failed()) {
        stop("the event store is unavailable: " + ar.cause().getMessage());
        return;
      }
      next = ar.result();
      mode = Mode.CATCHING_UP;
      onStarted.run();
      catchUp();
    }));
  }

  /** Starts at {@code position} (a WebSocket client changing its types without a {@code from}). */
  void continueFrom(long position) {
    hub.join(this);
    next = position;
    mode = Mode.CATCHING_UP;
    onStarted.run();
    catchUp();
  }

  /** Stops delivering; the connection stays open. Call on the session's context. */
  void detach() {
    if (mode != Mode.CLOSED) {
      mode = Mode.CLOSED;
      waiting.clear();
      hub.leave(this);
    }
  }

  private void catchUp() {
    if (mode != Mode.CATCHING_UP) {
      return;
    }
    hub.store().readAll(next, hub.options().catchUpPageSize()).onComplete(ar -> onContext(() -> {
      if (mode != Mode.CATCHING_UP) {
        return;
      }
      if (ar.failed()) {
        stop("the event store is unavailable: " + ar.cause().getMessage());
        return;
      }
      EventPage page = ar.result();
      List<FeedEvent> matching = new ArrayList<>();
      for (RecordedEvent event : page.events()) {
        if (patterns.matches(event.type())) {
          matching.add(FeedEvent.of(event.position(), event.type(), hub.encode(event)));
        }
      }
      if (!matching.isEmpty()) {
        sink.send(matching);
      }
      next = Math.max(next, page.next());
      if (next >= hub.nextPosition()) {
        // every event the hub handed out so far is below next: from here on the hub's events follow on without a gap
        mode = Mode.LIVE;
      } else if (sink.writeQueueFull()) {
        sink.onDrain(this::catchUp);
      } else {
        catchUp();
      }
    }));
  }

  /** Called by the hub on this session's context with each page of live events. */
  void live(List<FeedEvent> events) {
    if (mode != Mode.LIVE) {
      return;
    }
    List<FeedEvent> now = null;
    int bytes = 0;
    for (FeedEvent event : events) {
      if (event.position() < next) {
        continue; // already delivered by the catch-up
      }
      next = event.position() + 1;
      if (!patterns.matches(event.type())) {
        continue;
      }
      if (!waiting.isEmpty() || sink.writeQueueFull()) {
        waiting.add(event);
        if (waiting.size() > hub.options().bufferEvents()) {
          stop("slow consumer: more than " + hub.options().bufferEvents() + " events waiting to be sent");
          return;
        }
      } else {
        if (now == null) {
          now = new ArrayList<>();
        }
        now.add(event);
        bytes += event.sseFrame().length();
        if (bytes >= SEND_BATCH_BYTES) {
          sink.send(now);
          now = null;
          bytes = 0;
        }
      }
    }
    if (now != null) {
      sink.send(now);
    }
    if (!waiting.isEmpty() && !drainPending) {
      drainPending = true;
      sink.onDrain(this::flush);
    }
  }

  private void flush() {
    drainPending = false;
    if (mode != Mode.LIVE) {
      return;
    }
    List<FeedEvent> batch = new ArrayList<>(waiting.size());
    while (!waiting.isEmpty()) {
      batch.add(waiting.poll());
    }
    sink.send(batch);
  }

  /** Stops delivering and closes the connection, telling the client why. */
  void stop(String reason) {
    if (mode == Mode.CLOSED) {
      return;
    }
    log.info("closing a feed client at position {}: {}", next, reason);
    detach();
    sink.close(reason);
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
