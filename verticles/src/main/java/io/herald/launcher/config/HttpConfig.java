package io.herald.launcher.config;

import io.herald.gateway.HttpLimits;
import io.vertx.core.json.JsonObject;

/**
 * The node's HTTP endpoint ({@code http.*}).
 *
 * @param host      interface to bind
 * @param port      port to bind, 0 for any free port
 * @param instances how many gateway verticles share the port, each on its own event loop
 * @param limits    header and frame sizes, idle and request timeouts
 */
public record HttpConfig(String host, int port, int instances, HttpLimits limits) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_INSTANCES = 2;

  public HttpConfig(String host, int port, int instances) {
    this(host, port, instances, HttpLimits.DEFAULTS);
  }

  public static HttpConfig from(JsonObject json) {
    return read(new ConfigValues(json));
  }

  static HttpConfig read(ConfigValues values) {
    return new HttpConfig(
        values.nonBlankString("http.host", DEFAULT_HOST),
        values.integer("http.port", DEFAULT_PORT, 0, 65_535),
        values.integer("http.instances", DEFAULT_INSTANCES, 1, 64),
        new HttpLimits(
            values.integer("http.maxHeaderBytes", HttpLimits.DEFAULT_MAX_HEADER_BYTES, 1_024, 1_048_576),
            values.integer("http.maxWebSocketFrameBytes", HttpLimits.DEFAULT_MAX_WEBSOCKET_FRAME_BYTES, 1_024, 16_777_216),
            values.integer("http.idleTimeoutSeconds", HttpLimits.DEFAULT_IDLE_TIMEOUT_SECONDS, 1, 86_400),
            values.longValue("http.requestTimeoutMs", HttpLimits.DEFAULT_REQUEST_TIMEOUT_MS, 100, 600_000)));
  }

  public HttpConfig withPort(int newPort) {
    return new HttpConfig(host, newPort, instances, limits);
  }
}
