package io.herald.gateway;

import io.herald.health.HealthRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP endpoint: liveness and readiness ({@code /health/live}, {@code /health/ready}), Prometheus
 * metrics ({@code /metrics}) and, when the {@code gateway} service is selected, the public API ({@code /api}).
 * Every error is answered as {@code application/problem+json}.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);

  private final HealthRegistry health;
  private GatewayOptions options;
  private HttpServer server;

  public GatewayVerticle(HealthRegistry health) {
    this.health = Objects.requireNonNull(health, "health");
  }

  @Override
  public Future<?> start() {
    try {
      options = GatewayOptions.from(config());
    } catch (IllegalArgumentException | ClassCastException e) {
      return Future.failedFuture(e);
    }
    Router router = Router.router(vertx);
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(this::metrics);
    if (options.api()) {
      router.get("/api").handler(this::apiIndex);
    }
    router.route().handler(this::noRoute);
    router.route().failureHandler(this::problem);

    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(options.port(), options.host())
        .onSuccess(s -> log.info("HTTP listening on {}:{}{}", options.host(), s.actualPort(), options.api() ? "" : " (health and metrics only)"));
  }

  /** Stops accepting connections and lets in-flight requests finish, up to the configured timeout. */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    log.info("HTTP: no longer accepting requests, waiting up to {} ms for in-flight ones", options.shutdownTimeoutMs());
    return server.shutdown(options.shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  /** @return the bound port once started (useful with port 0), -1 before */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private void live(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "no-store");
    ctx.json(new JsonObject().put("status", HealthRegistry.Status.UP.name()));
  }

  private void ready(RoutingContext ctx) {
    health.report()
        .onSuccess(report -> {
          boolean up = HealthRegistry.Status.UP.name().equals(report.getString("status"));
          ctx.response().setStatusCode(up ? 200 : 503).putHeader("Cache-Control", "no-store");
          ctx.json(report);
        })
        .onFailure(ctx::fail);
  }

  private void metrics(RoutingContext ctx) {
    if (BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry) {
      PrometheusScrapingHandler.create().handle(ctx);
    } else {
      ctx.fail(new HttpException(503, "metrics are not enabled on this node"));
    }
  }

  private void apiIndex(RoutingContext ctx) {
    ctx.json(new JsonObject()
        .put("name", "herald")
        .put("links", new JsonObject()
            .put("live", "/health/live")
            .put("ready", "/health/ready")
            .put("metrics", "/metrics")));
  }

  private void noRoute(RoutingContext ctx) {
    ctx.fail(new HttpException(404, "no route for " + ctx.request().method() + " " + ctx.request().path()));
  }

  /** The one place that turns a failure into a response. */
  private void problem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    String detail = null;
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      detail = http.getPayload();
    }
    if (status < 400 || status > 599) {
      status = 500;
    }
    if (status >= 500 && !(failure instanceof HttpException)) {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
      detail = "internal error; the server log has the details";
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Problems.send(ctx, status, detail);
  }
}
