package io.herald.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of PostgreSQL that makes one commit ambiguous: once {@link #armCommitCut()} is called, the
 * next client message containing {@code COMMIT} is forwarded, the server's answer to it is swallowed and the
 * connection is dropped on both sides. The server has committed; the client only sees its connection fail.
 */
public final class CommitCuttingProxy {

  private static final byte[] COMMIT = "COMMIT".getBytes(StandardCharsets.US_ASCII);

  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final AtomicBoolean armed = new AtomicBoolean();
  private final AtomicInteger cuts = new AtomicInteger();
  private NetServer server;

  private CommitCuttingProxy(Vertx vertx, String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
  }

  /** Starts relaying from a free loopback port to {@code targetHost:targetPort}. */
  public static Future<CommitCuttingProxy> start(Vertx vertx, String targetHost, int targetPort) {
    CommitCuttingProxy proxy = new CommitCuttingProxy(vertx, targetHost, targetPort);
    proxy.server = vertx.createNetServer().connectHandler(proxy::relay);
    return proxy.server.listen(0, "127.0.0.1").map(s -> proxy);
  }

  public int port() {
    return server.actualPort();
  }

  /** The next COMMIT sent through the proxy commits on the server, and its answer never reaches the client. */
  public void armCommitCut() {
    armed.set(true);
  }

  /** @return how many commits were cut so far */
  public int cuts() {
    return cuts.get();
  }

  public Future<Void> close() {
    return server.close().compose(v -> client.close());
  }

  private void relay(NetSocket inbound) {
    inbound.pause();
    client.connect(targetPort, targetHost).onComplete(ar -> {
      if (ar.failed()) {
        inbound.close();
        return;
      }
      NetSocket outbound = ar.result();
      AtomicBoolean cutting = new AtomicBoolean();
      inbound.handler(buf -> {
        outbound.write(buf);
        if (contains(buf, COMMIT) && armed.compareAndSet(true, false)) {
          cutting.set(true);
        }
      });
      outbound.handler(buf -> {
        if (cutting.get()) {
          // the server answered the COMMIT, so it is done: the client never learns how
          cuts.incrementAndGet();
          inbound.close();
          outbound.close();
        } else {
          inbound.write(buf);
        }
      });
      inbound.closeHandler(v -> outbound.close());
      outbound.closeHandler(v -> inbound.close());
      inbound.resume();
    });
  }

  private static boolean contains(Buffer buf, byte[] pattern) {
    byte[] bytes = buf.getBytes();
    outer:
    for (int i = 0; i + pattern.length <= bytes.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
