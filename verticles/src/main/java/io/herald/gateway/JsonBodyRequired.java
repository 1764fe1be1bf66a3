package io.herald.gateway;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Locale;

/**
 * Refuses a request body that is not JSON before anything reads it: 415, naming the type that was sent. A platform
 * handler, so it runs ahead of the body handler.
 */
final class JsonBodyRequired implements PlatformHandler {

  @Override
  public void handle(RoutingContext rc) {
    HttpMethod method = rc.request().method();
    boolean mayHaveBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    String length = rc.request().getHeader("Content-Length");
    boolean hasBody = rc.request().getHeader("Transfer-Encoding") != null || (length != null && !"0".equals(length.trim()));
    if (mayHaveBody && hasBody) {
      String type = rc.request().getHeader("Content-Type");
      String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
      if (!mediaType.equals("application/json")) {
        rc.fail(new ProblemException(415, "Content-Type must be application/json, was "
            + (type == null ? "missing" : "'" + type + "'"), "Content-Type"));
        return;
      }
    }
    rc.next();
  }
}
