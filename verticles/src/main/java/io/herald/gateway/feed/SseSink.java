package io.herald.gateway.feed;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A Server-Sent Events response: one write per page of events, heartbeats as comments. */
final class SseSink implements FeedSink {

  private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");
  /** How long a client that reads nothing gets to read the reason before its connection is cut, in milliseconds. */
  private static final long CLOSE_GRACE_MS = 10_000;

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;

  SseSink(Vertx vertx, HttpServerRequest request) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
  }

  /** Sends the headers and a first comment, so the client sees the stream open before any event. */
  void open(long retryMs) {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no") // nginx: do not buffer the stream
        .write("retry: " + retryMs + "\n: connected\n\n");
  }

  @Override
  public void send(List<FeedEvent> events) {
    if (response.closed() || response.ended()) {
      return;
    }
    if (events.size() == 1) {
      response.write(events.get(0).sseFrame());
      return;
    }
    int size = 0;
    for (FeedEvent event : events) {
      size += event.sseFrame().length();
    }
    Buffer frames = Buffer.buffer(size);
    for (FeedEvent event : events) {
      frames.appendBuffer(event.sseFrame());
    }
    response.write(frames);
  }

  @Override
  public boolean writeQueueFull() {
    return !response.closed() && !response.ended() && response.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable action) {
    response.drainHandler(v -> {
      response.drainHandler(null);
      action.run();
    });
  }

  @Override
  public void heartbeat() {
    if (!response.closed() && !response.ended()) {
      response.write(HEARTBEAT);
    }
  }

  /** An {@code error} event carrying the reason, then the end of the stream. */
  @Override
  public void close(String reason) {
    if (response.closed() || response.ended()) {
      return;
    }
    String error = new JsonObject().put("reason", reason).encode();
    long cut = vertx.setTimer(CLOSE_GRACE_MS, t -> request.connection().close());
    // the connection closes once the client has read up to the reason, or after the grace period if it reads nothing
    response.end("event: error\ndata: " + error + "\n\n").onComplete(ar -> {
      vertx.cancelTimer(cut);
      request.connection().close();
    });
  }

  @Override
  public void onClose(Runnable action) {
    response.closeHandler(v -> action.run());
    response.endHandler(v -> action.run());
  }
}
