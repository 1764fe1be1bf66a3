package io.herald.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of a real service, so a test can make that service unreachable for its client only:
 * {@link #cut()} drops every relayed connection and refuses new ones, {@link #restore()} accepts again.
 */
public final class TcpProxy {

  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<NetSocket> inbounds = ConcurrentHashMap.newKeySet();
  private final NetClient client;
  private volatile boolean open = true;
  private NetServer server;

  private TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
  }

  /** Starts relaying from a free loopback port to {@code targetHost:targetPort}. */
  public static Future<TcpProxy> start(Vertx vertx, String targetHost, int targetPort) {
    TcpProxy proxy = new TcpProxy(vertx, targetHost, targetPort);
    proxy.server = vertx.createNetServer().connectHandler(proxy::relay);
    return proxy.server.listen(0, "127.0.0.1").map(s -> proxy);
  }

  public int port() {
    return server.actualPort();
  }

  /** Drops every open connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    open = false;
    sockets.forEach(NetSocket::close);
  }

  public void restore() {
    open = true;
  }

  /**
   * Stops relaying what the clients send, as a dead link does: their bytes pile up in the socket buffers, then in the
   * client itself, until {@link #cut()} drops them with the connections.
   */
  public void stall() {
    inbounds.forEach(NetSocket::pause);
  }

  public Future<Void> close() {
    cut();
    return server.close().compose(v -> client.close());
  }

  private void relay(NetSocket inbound) {
    if (!open) {
      inbound.close();
      return;
    }
    inbound.pause();
    client.connect(targetPort, targetHost).onComplete(ar -> {
      if (ar.failed() || !open) {
        inbound.close();
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      NetSocket outbound = ar.result();
      sockets.add(inbound);
      inbounds.add(inbound);
      sockets.add(outbound);
      inbound.closeHandler(v -> {
        sockets.remove(inbound);
        inbounds.remove(inbound);
        outbound.close();
      });
      outbound.closeHandler(v -> {
        sockets.remove(outbound);
        inbound.close();
      });
      inbound.pipeTo(outbound);
      outbound.pipeTo(inbound);
      inbound.resume();
    });
  }
}
