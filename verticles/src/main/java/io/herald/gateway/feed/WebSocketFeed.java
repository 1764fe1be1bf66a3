package io.herald.gateway.feed;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One WebSocket feed connection. The server sends each event as one CloudEvents JSON text frame; the client may send
 * {@code {"types": ..., "from": ...}} at any time to change its subscription, which the server acknowledges with
 * {@code {"subscribed": {"types": [...], "from": N}}}. A frame it cannot read gets {@code {"error": "..."}} and
 * changes nothing.
 */
final class WebSocketFeed {

  private final FeedHub hub;
  private final WebSocketSink sink;
  private FeedSession session;

  private WebSocketFeed(FeedHub hub, ServerWebSocket socket) {
    this.hub = hub;
    this.sink = new WebSocketSink(socket);
  }

  /** Serves the feed on an accepted socket; {@code release} runs once when it closes. */
  static void serve(Vertx vertx, FeedHub hub, ServerWebSocket socket, FeedQuery query, Runnable release) {
    WebSocketFeed feed = new WebSocketFeed(hub, socket);
    long heartbeat = vertx.setPeriodic(hub.options().heartbeatMs(), t -> feed.sink.heartbeat());
    feed.sink.onClose(() -> {
      vertx.cancelTimer(heartbeat);
      feed.session.detach();
      release.run();
    });
    socket.textMessageHandler(feed::onText);
    socket.binaryMessageHandler(feed::onBinary);
    feed.subscribe(query, null);
  }

  private void subscribe(FeedQuery query, Long continueAt) {
    FeedSession[] created = new FeedSession[1];
    created[0] = new FeedSession(hub, sink, query, () -> sink.control(new JsonObject().put("subscribed",
        new JsonObject().put("types", query.toJson().getJsonArray("types")).put("from", created[0].nextPosition()))));
    session = created[0];
    if (continueAt == null) {
      session.start();
    } else {
      session.continueFrom(continueAt);
    }
  }

  private void onText(String text) {
    FeedQuery change;
    try {
      change = FeedQuery.fromJson(new JsonObject(text));
    } catch (DecodeException e) {
      error("not a JSON object: " + e.getMessage());
      return;
    } catch (IllegalArgumentException | ClassCastException e) {
      error(e.getMessage());
      return;
    }
    FeedSession previous = session;
    long resumeAt = previous.resumePosition();
    previous.detach();
    // no "from": carry on from the first event the client has not had yet, with the new types
    subscribe(change, change.from() == null && resumeAt > 0 ? resumeAt : null);
  }

  private void onBinary(Buffer data) {
    error("binary frames are not understood; send {\"types\": ..., \"from\": ...} as text");
  }

  private void error(String reason) {
    sink.control(new JsonObject().put("error", reason)
        .put("expected", "{\"types\": \"order.*,user.registered\" or [\"order.*\"], \"from\": <position>}"));
  }
}
