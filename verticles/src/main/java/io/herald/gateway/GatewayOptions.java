package io.herald.gateway;

import io.vertx.core.json.JsonObject;

/**
 * Settings of {@link GatewayVerticle}, read from its {@code config()}.
 *
 * @param host              interface to bind; default {@value #DEFAULT_HOST}
 * @param port              port to bind, 0 for any free port; default {@value #DEFAULT_PORT}
 * @param api               whether the public API ({@code /api}) is served; when false the node only answers health
 *                          and metrics; default true
 * @param shutdownTimeoutMs on stop, how long in-flight requests may take to finish, in milliseconds;
 *                          default {@value #DEFAULT_SHUTDOWN_TIMEOUT_MS}
 * @param limits            what the endpoint takes from one client
 */
public record GatewayOptions(String host, int port, boolean api, long shutdownTimeoutMs, HttpLimits limits) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  public GatewayOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("gateway host must not be empty");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("gateway port must be between 0 and 65535, was " + port);
    }
    if (shutdownTimeoutMs < 0) {
      throw new IllegalArgumentException("gateway shutdownTimeoutMs must be >= 0, was " + shutdownTimeoutMs);
    }
    if (limits == null) {
      throw new IllegalArgumentException("gateway limits must be set");
    }
  }

  public GatewayOptions(String host, int port, boolean api, long shutdownTimeoutMs) {
    this(host, port, api, shutdownTimeoutMs, HttpLimits.DEFAULTS);
  }

  public static GatewayOptions from(JsonObject json) {
    return new GatewayOptions(
        json.getString("host", DEFAULT_HOST),
        json.getInteger("port", DEFAULT_PORT),
        json.getBoolean("api", true),
        json.getLong("shutdownTimeoutMs", DEFAULT_SHUTDOWN_TIMEOUT_MS),
        HttpLimits.from(json.getJsonObject("limits")));
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("api", api).put("shutdownTimeoutMs", shutdownTimeoutMs)
        .put("limits", limits.toJson());
  }
}
