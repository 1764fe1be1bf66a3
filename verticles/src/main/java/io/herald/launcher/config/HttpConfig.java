package io.herald.launcher.config;

import io.vertx.core.json.JsonObject;

/**
 * The node's HTTP endpoint ({@code http.*}).
 *
 * @param host      interface to bind
 * @param port      port to bind, 0 for any free port
 * @param instances how many gateway verticles share the port, each on its own event loop
 */
public record HttpConfig(String host, int port, int instances) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_INSTANCES = 2;

  public static HttpConfig from(JsonObject json) {
    return read(new ConfigValues(json));
  }

  static HttpConfig read(ConfigValues values) {
    return new HttpConfig(
        values.nonBlankString("http.host", DEFAULT_HOST),
        values.integer("http.port", DEFAULT_PORT, 0, 65_535),
        values.integer("http.instances", DEFAULT_INSTANCES, 1, 64));
  }

  public HttpConfig withPort(int newPort) {
    return new HttpConfig(host, newPort, instances);
  }
}
