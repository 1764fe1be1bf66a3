package io.herald.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 problem details: the only error body the gateway sends. */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {
  }

  /** @return {@code {"type":"about:blank","title":..,"status":..,"detail":..,"instance":..}} */
  public static JsonObject of(int status, String detail, String instance) {
    JsonObject problem = new JsonObject()
        .put("type", "about:blank")
        .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
        .put("status", status);
    if (detail != null && !detail.isBlank()) {
      problem.put("detail", detail);
    }
    if (instance != null) {
      problem.put("instance", instance);
    }
    return problem;
  }

  public static void send(RoutingContext ctx, int status, String detail) {
    send(ctx, status, detail, null);
  }

  /** @param field the request field at fault, added as the {@code field} extension member, or {@code null} */
  public static void send(RoutingContext ctx, int status, String detail, String field) {
    JsonObject problem = of(status, detail, ctx.request().path());
    if (field != null) {
      problem.put("field", field);
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(problem.encode());
  }
}
