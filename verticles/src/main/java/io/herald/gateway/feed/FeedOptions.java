package io.herald.gateway.feed;

/**
 * Settings of the live feeds ({@code feed.*}).
 *
 * @param heartbeatMs     how often an idle connection gets a heartbeat (an SSE comment, a WebSocket ping), in milliseconds
 * @param bufferEvents    events kept for a client whose connection cannot take more; one more and it is disconnected
 * @param maxClients      feed connections (SSE and WebSocket together) one node serves at once; more are refused with 503
 * @param catchUpPageSize events read from the store at a time while a client catches up
 */
public record FeedOptions(long heartbeatMs, int bufferEvents, int maxClients, int catchUpPageSize) {

  public static final long DEFAULT_HEARTBEAT_MS = 15_000;
  public static final int DEFAULT_BUFFER_EVENTS = 1_000;
  public static final int DEFAULT_MAX_CLIENTS = 10_000;
  public static final int DEFAULT_CATCH_UP_PAGE_SIZE = 500;

  public FeedOptions {
    if (heartbeatMs < 1) {
      throw new IllegalArgumentException("feed heartbeatMs must be >= 1, was " + heartbeatMs);
    }
    if (bufferEvents < 1 || maxClients < 1 || catchUpPageSize < 1) {
      throw new IllegalArgumentException("feed bufferEvents, maxClients and catchUpPageSize must be >= 1");
    }
  }

  public static FeedOptions defaults() {
    return new FeedOptions(DEFAULT_HEARTBEAT_MS, DEFAULT_BUFFER_EVENTS, DEFAULT_MAX_CLIENTS, DEFAULT_CATCH_UP_PAGE_SIZE);
  }
}
