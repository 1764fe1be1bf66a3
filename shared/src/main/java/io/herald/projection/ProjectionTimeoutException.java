package io.herald.projection;

/** A read asked for a position the projection did not reach in time (read-your-writes). */
public final class ProjectionTimeoutException extends RuntimeException {

  public ProjectionTimeoutException(String projection, long reached, long wanted, long timeoutMs) {
    super("projection '" + projection + "' reached position " + reached + ", not " + wanted + ", within " + timeoutMs + " ms");
  }
}
