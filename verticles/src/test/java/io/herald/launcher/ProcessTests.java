package io.herald.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the tests of herald.jar in child processes share: a free port to give a node, and waiting for a condition. */
final class ProcessTests {

  private ProcessTests() {
  }

  /** @return a port nothing listens on now (the node binds it a moment later) */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Polls {@code condition} every 200 ms; fails naming {@code what} once {@code seconds} have passed. */
  static void awaitUntil(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not reached within " + seconds + " s");
      }
      Thread.sleep(200);
    }
  }
}
