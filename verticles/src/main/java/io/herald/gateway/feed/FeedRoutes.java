package io.herald.gateway.feed;

import io.herald.gateway.auth.Access;
import io.herald.gateway.auth.Scope;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * {@code GET /api/feed} (Server-Sent Events) and {@code GET /api/feed/ws} (WebSocket): every stored event matching
 * {@code types}, from {@code from} (or {@code Last-Event-ID} + 1, or the head), catch-up then live, in global order.
 * Both need a token with scope {@code read}, as a bearer header or, since a browser's EventSource cannot set headers,
 * the {@code access_token} query parameter.
 */
public final class FeedRoutes {

  public static final String SSE_PATH = "/api/feed";
  public static final String WEBSOCKET_PATH = "/api/feed/ws";
  /** How long an EventSource waits before it reconnects, sent as the stream's {@code retry}, in milliseconds. */
  static final long RECONNECT_MS = 2_000;

  private final Vertx vertx;
  private final FeedHub hub;
  private final Access access;

  public FeedRoutes(Vertx vertx, FeedHub hub, Access access) {
    this.vertx = vertx;
    this.hub = hub;
    this.access = access;
  }

  /**
   * Adds the routes at {@code order} and after: ahead of the API's body handler, which must not read an upgrade
   * request or wait for the end of a stream.
   */
  public void register(Router router, int order) {
    router.get(WEBSOCKET_PATH).order(order).handler(this::authorized);
    router.get(WEBSOCKET_PATH).order(order + 1).handler(this::webSocket);
    router.get(SSE_PATH).order(order + 2).handler(this::authorized);
    router.get(SSE_PATH).order(order + 3).handler(this::sse);
  }

  /** Refuses a feed request without a {@code read} token before anything is upgraded or streamed. */
  private void authorized(RoutingContext rc) {
    access.require(rc.request(), Scope.READ, true).onSuccess(v -> rc.next()).onFailure(rc::fail);
  }

  private void sse(RoutingContext rc) {
    FeedQuery query = query(rc, rc.request().getHeader("Last-Event-ID"));
    if (query == null || !admitted(rc)) {
      return;
    }
    SseSink sink = new SseSink(vertx, rc.request());
    sink.open(RECONNECT_MS);
    FeedSession session = new FeedSession(hub, sink, query, () -> {
    });
    long heartbeat = vertx.setPeriodic(hub.options().heartbeatMs(), t -> sink.heartbeat());
    boolean[] released = {false};
    sink.onClose(() -> {
      if (!released[0]) {
        released[0] = true;
        vertx.cancelTimer(heartbeat);
        session.detach();
        hub.release();
      }
    });
    session.start();
  }

  private void webSocket(RoutingContext rc) {
    FeedQuery query = query(rc, null);
    if (query == null) {
      return;
    }
    if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
      rc.fail(new HttpException(400, "a WebSocket upgrade request is expected here; for Server-Sent Events use " + SSE_PATH));
      return;
    }
    if (!admitted(rc)) {
      return;
    }
    rc.request().toWebSocket()
        .onSuccess(socket -> WebSocketFeed.serve(vertx, hub, socket, query, hub::release))
        .onFailure(err -> {
          hub.release();
          rc.fail(400, err);
        });
  }

  private FeedQuery query(RoutingContext rc, String lastEventId) {
    try {
      return FeedQuery.parse(rc.queryParam("types"), rc.request().getParam("from"), lastEventId);
    } catch (IllegalArgumentException e) {
      rc.fail(new HttpException(400, e.getMessage()));
      return null;
    }
  }

  private boolean admitted(RoutingContext rc) {
    if (hub.admit()) {
      return true;
    }
    rc.fail(new HttpException(503, "the feed serves its maximum of " + hub.options().maxClients() + " clients; try again later"));
    return false;
  }
}
