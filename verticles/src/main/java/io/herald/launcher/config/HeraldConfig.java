package io.herald.launcher.config;

import io.herald.gateway.auth.AuthOptions;
import io.herald.gateway.feed.FeedOptions;
import io.herald.projection.ProjectionOptions;
import io.herald.service.config.ApiConfig;
import io.herald.service.config.BackpressureConfig;
import io.herald.service.config.InventoryConfig;
import io.herald.service.config.MetricsConfig;
import io.herald.service.config.OrderConfig;
import io.herald.service.config.PaymentConfig;
import io.herald.service.config.SagaConfig;
import io.herald.relay.EventRelayOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The whole node configuration, typed and checked. {@link ConfigLoader} merges the layers into one
 * JSON object and rejects unknown keys; {@link #from(JsonObject)} checks types, ranges and allowed values.
 * Defaults here match {@code config/default.yaml}, so a partial object (as in tests) reads the same way.
 *
 * @param store             {@code store.*}
 * @param broker            {@code broker.*}
 * @param relay             {@code relay.*}: how stored events are published to the broker
 * @param relayLease        {@code relay.lease*}: one publishing relay per store across processes
 * @param delivery          {@code delivery.*}: consumer retries and dead letters
 * @param http              {@code http.*}
 * @param api               {@code api.*}: body limit, timeouts and idempotency of the public API
 * @param saga              {@code saga.*}
 * @param order             {@code order.*}
 * @param payment           {@code payment.*}
 * @param inventory         {@code inventory.*}: batched commands per SKU
 * @param backpressure      {@code backpressure.*}: queue depths reported by services, load shed at the HTTP edge
 * @param notification      {@code notification.*}
 * @param projections       {@code projections.*}: checkpointing of every read model
 * @param feed              {@code feed.*}: the live feeds (SSE, WebSocket)
 * @param metrics           {@code metrics.*}
 * @param log               {@code log.*}
 * @param services          {@code services}: which services this node deploys
 * @param cluster           {@code cluster.*}: clustered mode
 * @param auth              {@code auth.*}: bearer tokens on the API, the feeds and the admin calls
 * @param shutdownTimeoutMs {@code shutdown.timeoutMs}: grace for in-flight requests on SIGTERM, in milliseconds
 */
public record HeraldConfig(StoreConfig store, BrokerConfig broker, EventRelayOptions relay, RelayLeaseConfig relayLease,
                           DeliveryConfig delivery, HttpConfig http, ApiConfig api,
                           SagaConfig saga, OrderConfig order, PaymentConfig payment, InventoryConfig inventory,
                           BackpressureConfig backpressure, NotificationConfig notification,
                           ProjectionOptions projections, FeedOptions feed, MetricsConfig metrics, LogConfig log, ServiceSelection services,
                           ClusterConfig cluster, AuthOptions auth, long shutdownTimeoutMs) {

  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  /**
   * Reads a nested config object ({@code {"http":{"port":8080}}}); absent keys take their defaults.
   *
   * @throws ConfigException with a one-line message naming the key when a value has the wrong type,
   *                         is out of range or is not one of the allowed values
   */
  public static HeraldConfig from(JsonObject json) {
    ConfigValues values = new ConfigValues(json);
    return new HeraldConfig(
        StoreConfig.read(values),
        BrokerConfig.read(values),
        RelayConfig.read(values),
        RelayLeaseConfig.read(values),
        DeliveryConfig.read(values),
        HttpConfig.read(values),
        ServiceSections.api(values),
        ServiceSections.saga(values),
        ServiceSections.order(values),
        ServiceSections.payment(values),
        ServiceSections.inventory(values),
        ServiceSections.backpressure(values),
        NotificationConfig.read(values),
        ProjectionsConfig.read(values),
        FeedConfig.read(values),
        ServiceSections.metrics(values),
        LogConfig.read(values),
        ServiceSelection.of(values.list("services", List.of())),
        ClusterConfig.read(values),
        AuthConfig.read(values),
        values.longValue("shutdown.timeoutMs", DEFAULT_SHUTDOWN_TIMEOUT_MS, 0, 3_600_000));
  }

  public HeraldConfig withHttp(HttpConfig newHttp) {
    return new HeraldConfig(store, broker, relay, relayLease, delivery, newHttp, api, saga, order, payment, inventory, backpressure, notification, projections, feed, metrics, log, services,
        cluster, auth, shutdownTimeoutMs);
  }

  public HeraldConfig withServices(ServiceSelection newServices) {
    return new HeraldConfig(store, broker, relay, relayLease, delivery, http, api, saga, order, payment, inventory, backpressure, notification, projections, feed, metrics, log, newServices,
        cluster, auth, shutdownTimeoutMs);
  }

  public HeraldConfig withCluster(ClusterConfig newCluster) {
    return new HeraldConfig(store, broker, relay, relayLease, delivery, http, api, saga, order, payment, inventory, backpressure, notification, projections, feed, metrics, log, services,
        newCluster, auth, shutdownTimeoutMs);
  }

  /** @return {@code embedded} when nothing leaves the process, otherwise the store (and broker) in use */
  public String mode() {
    boolean localBroker = broker.type() == BrokerType.EVENTBUS;
    if (store.type() == StoreType.MEMORY && localBroker) {
      return "embedded";
    }
    String storeName = store.type().configName();
    return localBroker ? storeName : storeName + "+" + broker.type().configName();
  }
}
