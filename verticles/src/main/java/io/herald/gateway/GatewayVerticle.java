package io.herald.gateway;

import io.herald.event.CloudEventJson;
import io.herald.gateway.auth.Access;
import io.herald.gateway.auth.AccessDenied;
import io.herald.gateway.auth.RateLimited;
import io.herald.gateway.auth.Scope;
import io.herald.gateway.feed.EventBusBridge;
import io.herald.gateway.feed.FeedHub;
import io.herald.gateway.feed.FeedRoutes;
import io.herald.health.HealthRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP endpoint: liveness and readiness ({@code /health/live}, {@code /health/ready}), Prometheus
 * metrics ({@code /metrics}) and, when the {@code gateway} service is selected, the public API ({@code /api}), the
 * live feeds ({@code /api/feed}, {@code /api/feed/ws}), the SockJS event-bus bridge ({@code /eventbus}) and the
 * dashboard ({@code /}). Every error is answered as {@code application/problem+json}.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);

  /** Config key: how many gateway verticles share the port; the first deploys the others once its port is known. */
  public static final String INSTANCES = "instances";

  private final HealthRegistry health;
  /** Route order of the feeds, the bridge and the dashboard: ahead of the API's body handler. */
  private static final int EARLY = -100;

  private final ApiServices api;
  private final Access access;
  private FeedHub feeds;
  private boolean ownsFeeds;
  private GatewayOptions options;
  private HttpServer server;

  /** A gateway that answers health and metrics only; {@code access} guards the readiness detail. */
  public GatewayVerticle(HealthRegistry health, Access access) {
    this(health, null, access);
  }

  /**
   * @param api    what the public API talks to; {@code null} when the API is not served
   * @param access who may call what: every API operation, feed and the bridge need a token granting their scope
   */
  public GatewayVerticle(HealthRegistry health, ApiServices api, Access access) {
    this(health, api, access, null);
  }

  /** A further instance on the same port, sharing the first one's feeds. */
  private GatewayVerticle(HealthRegistry health, ApiServices api, Access access, FeedHub feeds) {
    this.health = Objects.requireNonNull(health, "health");
    this.api = api;
    this.access = Objects.requireNonNull(access, "access");
    this.feeds = feeds;
  }

  @Override
  public Future<?> start() {
    try {
      options = GatewayOptions.from(config());
    } catch (IllegalArgumentException | ClassCastException e) {
      return Future.failedFuture(e);
    }
    if (options.api() && api == null) {
      return Future.failedFuture(new IllegalStateException("the API needs the node's services"));
    }
    Future<Router> base = options.api()
        ? startFeeds().compose(v -> ApiContract.load(vertx)).map(contract -> new ApiRoutes(api, access).build(contract).createRouter())
        : Future.succeededFuture(Router.router(vertx));
    return base.compose(router -> {
      if (options.api()) {
        new FeedRoutes(vertx, feeds, access).register(router, EARLY);
        new EventBusBridge(vertx, feeds, access).register(router, EARLY + 10);
        // the page at "/", its assets under "/dashboard/" (the handler serves paths below the route's prefix)
        StaticHandler dashboard = StaticHandler.create("webroot/dashboard").setCachingEnabled(false);
        router.get("/").order(EARLY + 20).handler(dashboard);
        router.get("/dashboard/*").order(EARLY + 21).handler(dashboard);
      }
      router.get("/health/live").handler(this::live);
      router.get("/health/ready").handler(this::ready);
      router.get("/metrics").handler(this::metrics);
      if (options.api()) {
        router.get("/api").handler(this::apiIndex);
      }
      router.route().handler(this::noRoute);
      router.route().failureHandler(this::problem);
      SlowRequestGuard guard = new SlowRequestGuard(vertx, options.limits().requestTimeoutMs());
      server = vertx.createHttpServer(options.limits().serverOptions())
          .connectionHandler(guard::connected)
          .invalidRequestHandler(MalformedRequests::answer)
          .requestHandler(guard.guarding(router));
      return server.listen(options.port(), options.host());
    }).compose(s -> {
      log.info("HTTP listening on {}:{}{}", options.host(), s.actualPort(), options.api() ? "" : " (health and metrics only)");
      return deploySiblings(s.actualPort());
    });
  }

  /**
   * Further instances on the same fixed port: Vert.x spreads the connections over them. They are this verticle's
   * children, so undeploying it stops them too. With port 0 (tests) one instance serves: a random port cannot be shared.
   */
  private Future<?> deploySiblings(int port) {
    int more = config().getInteger(INSTANCES, 1) - 1;
    if (more <= 0 || options.port() == 0) {
      return Future.succeededFuture();
    }
    JsonObject sibling = config().copy().put("port", port).put(INSTANCES, 1);
    return vertx.deployVerticle(() -> new GatewayVerticle(health, api, access, feeds),
        new DeploymentOptions().setConfig(sibling).setInstances(more));
  }

  /** The first instance reads the store for every feed client of the node; its siblings share that reader. */
  private Future<Void> startFeeds() {
    if (feeds != null) {
      return Future.succeededFuture();
    }
    feeds = new FeedHub(vertx, api.services().store(), new CloudEventJson(api.services().events()), api.feed());
    ownsFeeds = true;
    api.services().metrics().feedClients(feeds::clients);
    return feeds.start();
  }

  /** Stops accepting connections and lets in-flight requests finish, up to the configured timeout. */
  @Override
  public Future<?> stop() {
    Future<Void> feedsClosed = ownsFeeds ? feeds.close() : Future.succeededFuture();
    if (server == null) {
      return feedsClosed;
    }
    log.info("HTTP: no longer accepting requests, waiting up to {} ms for in-flight ones", options.shutdownTimeoutMs());
    return Future.join(feedsClosed, server.shutdown(options.shutdownTimeoutMs(), TimeUnit.MILLISECONDS));
  }

  /** @return the bound port once started (useful with port 0), -1 before */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private void live(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "no-store");
    ctx.json(new JsonObject().put("status", HealthRegistry.Status.UP.name()));
  }

  /** The status for anyone (a load balancer has no token); the checks' detail only with an {@code admin} token. */
  private void ready(RoutingContext ctx) {
    access.grants(ctx.request(), Scope.ADMIN)
        .compose(detail -> health.report().map(report -> detail ? report : new JsonObject().put("status", report.getString("status"))))
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
            .put("metrics", "/metrics")
            .put("feed", FeedRoutes.SSE_PATH)
            .put("feedWebSocket", FeedRoutes.WEBSOCKET_PATH)
            .put("eventBus", EventBusBridge.PATH)
            .put("dashboard", "/")));
  }

  private void noRoute(RoutingContext ctx) {
    ctx.fail(new HttpException(404, "no route for " + ctx.request().method() + " " + ctx.request().path()));
  }

  /** The one place that turns a failure into a response. */
  private void problem(RoutingContext ctx) {
    FailureTranslator.Problem problem = FailureTranslator.translate(ctx.failure(), ctx.statusCode());
    if (problem.internal()) {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (ctx.failure() instanceof AccessDenied denied) {
      ctx.response().putHeader("WWW-Authenticate", denied.challenge());
    }
    if (ctx.failure() instanceof RateLimited limited) {
      ctx.response().putHeader("Retry-After", String.valueOf(limited.retryAfterSeconds()));
    } else if (problem.status() == 429) {
      // a busy service did nothing: the same request may be sent again shortly
      ctx.response().putHeader("Retry-After", "1");
    }
    Problems.send(ctx, problem.status(), problem.detail(), problem.field());
  }
}
