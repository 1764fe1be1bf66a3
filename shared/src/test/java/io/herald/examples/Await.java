package io.herald.examples;

import java.util.function.BooleanSupplier;

/** Polls a condition from the test thread; generous, since the machine the suite runs on may be busy. */
final class Await {

  private static final long WAIT_MS = 30_000;

  private Await() {
  }

  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT_MS + " ms waiting until " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
