package io.herald.gateway;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;

/**
 * What the HTTP endpoint takes from one client ({@code http.*}): header size, WebSocket frame size, how long a
 * connection may sit idle, and how long a request may take to arrive in full. A larger header is answered 431, a
 * larger frame closes the WebSocket (1009), an idle connection is closed, and a request whose body trickles in is
 * answered 408 ({@link SlowRequestGuard}).
 *
 * @param maxHeaderBytes         largest request line plus headers, in bytes
 * @param maxWebSocketFrameBytes largest WebSocket frame (and message) a client may send, in bytes
 * @param idleTimeoutSeconds     a connection with nothing read or written for this long is closed, in seconds;
 *                               feeds send heartbeats more often ({@code feed.heartbeatMs})
 * @param requestTimeoutMs       how long a connection may take to send a whole request, headers and body, in milliseconds
 */
public record HttpLimits(int maxHeaderBytes, int maxWebSocketFrameBytes, int idleTimeoutSeconds, long requestTimeoutMs) {

  public static final int DEFAULT_MAX_HEADER_BYTES = 8_192;
  public static final int DEFAULT_MAX_WEBSOCKET_FRAME_BYTES = 65_536;
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
  public static final HttpLimits DEFAULTS = new HttpLimits(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_WEBSOCKET_FRAME_BYTES,
      DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_REQUEST_TIMEOUT_MS);

  public HttpLimits {
    if (maxHeaderBytes < 1_024 || maxWebSocketFrameBytes < 1_024 || idleTimeoutSeconds < 1 || requestTimeoutMs < 100) {
      throw new IllegalArgumentException("HTTP limits out of range: " + this);
    }
  }

  public HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setMaxHeaderSize(maxHeaderBytes)
        .setMaxWebSocketFrameSize(maxWebSocketFrameBytes)
        .setMaxWebSocketMessageSize(maxWebSocketFrameBytes)
        .setIdleTimeout(idleTimeoutSeconds)
        // HTTP/1 only: without the h2c sniffing of the first bytes, a connection is known (and guarded) as soon as it opens
        .setHttp2ClearTextEnabled(false);
  }

  static HttpLimits from(JsonObject json) {
    return json == null ? DEFAULTS : new HttpLimits(
        json.getInteger("maxHeaderBytes", DEFAULT_MAX_HEADER_BYTES),
        json.getInteger("maxWebSocketFrameBytes", DEFAULT_MAX_WEBSOCKET_FRAME_BYTES),
        json.getInteger("idleTimeoutSeconds", DEFAULT_IDLE_TIMEOUT_SECONDS),
        json.getLong("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS));
  }

  JsonObject toJson() {
    return new JsonObject().put("maxHeaderBytes", maxHeaderBytes).put("maxWebSocketFrameBytes", maxWebSocketFrameBytes)
        .put("idleTimeoutSeconds", idleTimeoutSeconds).put("requestTimeoutMs", requestTimeoutMs);
  }
}
