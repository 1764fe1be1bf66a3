package io.herald.api;

import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real WebSocket client of {@code /api/feed/ws} (or any path): keeps every text frame it receives, as JSON. */
final class FeedSocket implements AutoCloseable {

  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private volatile Short closeStatus;
  private volatile String closeReason;

  private FeedSocket(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
  }

  /** Connects with {@code token} as a bearer header ({@code null}: no header; a token may also be in the path). */
  static FeedSocket connect(Vertx vertx, int port, String path, String token) {
    return connect(vertx, port, path, token, new WebSocketClientOptions());
  }

  static FeedSocket connect(Vertx vertx, int port, String path, String token, WebSocketClientOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(options);
    FeedSocket[] created = new FeedSocket[1];
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path);
    if (token != null) {
      connect.addHeader("Authorization", "Bearer " + token);
    }
    // handlers are set as the socket opens, on its event loop, so no early frame is lost
    try {
      Futures.await(client.connect(connect).map(socket -> created[0] = handle(new FeedSocket(client, socket))));
    } catch (RuntimeException | Error e) {
      client.close();
      throw e;
    }
    return created[0];
  }

  private static FeedSocket handle(FeedSocket feed) {
    WebSocket socket = feed.socket;
    socket.textMessageHandler(text -> feed.frames.add(new JsonObject(text)));
    socket.binaryMessageHandler(data -> feed.frames.add(data.toJsonObject())); // the SockJS raw transport sends binary
    socket.closeHandler(v -> {
      feed.closeStatus = socket.closeStatusCode();
      feed.closeReason = socket.closeReason();
    });
    return feed;
  }

  WebSocket socket() {
    return socket;
  }

  void send(String text) {
    Futures.await(socket.writeTextMessage(text));
  }

  List<JsonObject> frames() {
    return List.copyOf(frames);
  }

  /** Frames that are CloudEvents (not acknowledgements or errors). */
  List<JsonObject> events() {
    return frames.stream().filter(f -> f.containsKey("specversion")).toList();
  }

  List<JsonObject> controlFrames(String key) {
    return frames.stream().filter(f -> f.containsKey(key)).toList();
  }

  Short closeStatus() {
    return closeStatus;
  }

  String closeReason() {
    return closeReason;
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      Futures.await(socket.close());
    }
    Futures.await(client.close());
  }
}
