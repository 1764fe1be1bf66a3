package io.herald.gateway.feed;

import java.util.List;

/**
 * The connection a {@link FeedSession} writes to (an SSE response, a WebSocket). Every method is called on the
 * connection's context.
 */
interface FeedSink {

  /** Writes events in order; one write per call where the transport allows it. */
  void send(List<FeedEvent> events);

  /** @return whether the connection's write queue is full: what is sent now waits in memory */
  boolean writeQueueFull();

  /** Runs {@code action} once when the write queue has room again. */
  void onDrain(Runnable action);

  /** Keeps proxies from closing an idle connection. */
  void heartbeat();

  /** Tells the client why, then closes the connection. */
  void close(String reason);

  /** @param action run once when the connection is closed, by either side */
  void onClose(Runnable action);
}
