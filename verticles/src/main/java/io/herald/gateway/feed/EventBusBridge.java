package io.herald.gateway.feed;

import io.vertx.core.Vertx;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

/**
 * The SockJS event-bus bridge at {@code /eventbus}: a browser may listen to the feed addresses ({@code herald.feed}
 * for every event, {@code herald.feed.<aggregate type>} for one kind) and nothing else; it may send to no address,
 * so no service can be reached through it.
 */
public final class EventBusBridge {

  public static final String PATH = "/eventbus";
  /** The feed addresses, the only ones a browser may listen to. */
  static final String OUTBOUND = "herald\\.feed(\\.[a-z0-9-]+)?";

  private final Vertx vertx;
  private final FeedHub hub;

  public EventBusBridge(Vertx vertx, FeedHub hub) {
    this.vertx = vertx;
    this.hub = hub;
  }

  /** Mounts the bridge at {@code order}, ahead of the API's body handler, which must not read SockJS requests. */
  public void register(Router router, int order) {
    // no inbound permission at all: every send or publish from a browser is refused with access_denied
    SockJSBridgeOptions permitted = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(OUTBOUND));
    Router bridge = SockJSHandler.create(vertx, new SockJSHandlerOptions()).bridge(permitted, event -> {
      if (event.type() == BridgeEventType.SOCKET_CREATED) {
        hub.bridgeSocketOpened();
      } else if (event.type() == BridgeEventType.SOCKET_CLOSED) {
        hub.bridgeSocketClosed();
      }
      event.complete(true);
    });
    router.route(PATH + "/*").order(order).subRouter(bridge);
  }
}
