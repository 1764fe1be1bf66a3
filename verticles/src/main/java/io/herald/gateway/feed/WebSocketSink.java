package io.herald.gateway.feed;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A WebSocket: one text frame per event (its CloudEvents JSON), pings as heartbeats, JSON frames for the rest. */
final class WebSocketSink implements FeedSink {

  /** WebSocket close code for a client that broke the feed's rules (it read too slowly). */
  static final short POLICY_VIOLATION = 1008;
  private static final Buffer PING = Buffer.buffer("heartbeat");
  private static final int MAX_REASON_BYTES = 123;

  private final ServerWebSocket socket;

  WebSocketSink(ServerWebSocket socket) {
    this.socket = socket;
  }

  @Override
  public void send(List<FeedEvent> events) {
    if (socket.isClosed()) {
      return;
    }
    for (FeedEvent event : events) {
      socket.writeTextMessage(event.json());
    }
  }

  /** A frame that is not an event: {@code {"subscribed": ...}} or {@code {"error": ...}}. */
  void control(JsonObject message) {
    if (!socket.isClosed()) {
      socket.writeTextMessage(message.encode());
    }
  }

  @Override
  public boolean writeQueueFull() {
    return !socket.isClosed() && socket.writeQueueFull(); // a closed socket refuses the question
  }

  @Override
  public void onDrain(Runnable action) {
    socket.drainHandler(v -> {
      socket.drainHandler(null);
      action.run();
    });
  }

  @Override
  public void heartbeat() {
    if (!socket.isClosed()) {
      socket.writePing(PING);
    }
  }

  /** A close frame with code 1008 and the reason (cut to the 123 bytes a close frame can carry). */
  @Override
  public void close(String reason) {
    if (!socket.isClosed()) {
      socket.close(POLICY_VIOLATION, truncate(reason));
    }
  }

  @Override
  public void onClose(Runnable action) {
    socket.closeHandler(v -> action.run());
  }

  private static String truncate(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    return new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8).replace("\uFFFD", "");
  }
}
