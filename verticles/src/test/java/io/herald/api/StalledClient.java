package io.herald.api;

import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/**
 * A feed client that can stop reading its socket, as a stuck browser or a slow network would: a raw TCP connection
 * with a small receive buffer, so the server's writes back up after a few kilobytes.
 */
final class StalledClient implements AutoCloseable {

  private final NetClient client;
  private final NetSocket socket;
  private final StringBuffer received = new StringBuffer();
  private volatile boolean closed;

  private StalledClient(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
  }

  /** Sends {@code GET path} and keeps whatever comes back, headers included. */
  static StalledClient open(Vertx vertx, int port, String path) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setReceiveBufferSize(2048));
    StalledClient[] created = new StalledClient[1];
    Futures.await(client.connect(port, "127.0.0.1").map(socket -> {
      StalledClient stalled = new StalledClient(client, socket);
      socket.handler(data -> stalled.received.append(data.toString(StandardCharsets.UTF_8)));
      socket.closeHandler(v -> stalled.closed = true);
      created[0] = stalled;
      return socket;
    }).compose(socket -> socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")));
    return created[0];
  }

  void stopReading() {
    socket.pause();
  }

  void readAgain() {
    socket.resume();
  }

  String received() {
    return received.toString();
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    Futures.await(client.close());
  }
}
