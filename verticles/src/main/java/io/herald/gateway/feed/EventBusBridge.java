package io.herald.gateway.feed;

import io.herald.gateway.auth.Access;
import io.herald.gateway.auth.Scope;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SockJS event-bus bridge at {@code /eventbus}: a browser may listen to the feed addresses ({@code herald.feed}
 * for every event, {@code herald.feed.<aggregate type>} for one kind) and nothing else; it may send to no address,
 * so no service can be reached through it. A socket is opened only with a token granting {@code read}, in the
 * {@code access_token} query parameter of the bridge's URL (SockJS clients keep it on every transport) or a bearer
 * header; without one the socket is closed as it connects.
 */
public final class EventBusBridge {

  public static final String PATH = "/eventbus";
  /** The feed addresses, the only ones a browser may listen to. */
  static final String OUTBOUND = "herald\\.feed(\\.[a-z0-9-]+)?";

  private final Vertx vertx;
  private final FeedHub hub;
  private final Access access;
  /** Sockets let in, so a refused one's close is not counted as a client leaving. */
  private final Set<SockJSSocket> opened = ConcurrentHashMap.newKeySet();

  public EventBusBridge(Vertx vertx, FeedHub hub, Access access) {
    this.vertx = vertx;
    this.hub = hub;
    this.access = access;
  }

  /** Mounts the bridge at {@code order}, ahead of the API's body handler, which must not read SockJS requests. */
  public void register(Router router, int order) {
    // no inbound permission at all: every send or publish from a browser is refused with access_denied
    SockJSBridgeOptions permitted = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(OUTBOUND));
    Router bridge = SockJSHandler.create(vertx, new SockJSHandlerOptions()).bridge(permitted, event -> {
      if (event.type() == BridgeEventType.SOCKET_CREATED) {
        access.require(event.socket().headers(), queryToken(event.socket().uri()), Scope.READ)
            .onSuccess(v -> {
              opened.add(event.socket());
              hub.bridgeSocketOpened();
              event.complete(true);
            })
            .onFailure(err -> event.complete(false));
        return;
      }
      if (event.type() == BridgeEventType.SOCKET_CLOSED && opened.remove(event.socket())) {
        hub.bridgeSocketClosed();
      }
      event.complete(true);
    });
    router.route(PATH + "/*").order(order).subRouter(bridge);
  }

  private static String queryToken(String uri) {
    if (uri == null || uri.indexOf('?') < 0) {
      return null;
    }
    return new QueryStringDecoder(uri).parameters().getOrDefault(Access.QUERY_PARAMETER, List.of())
        .stream().findFirst().orElse(null);
  }
}
