package io.herald.launcher;

import io.herald.analytics.AnalyticsService;
import io.herald.audit.AuditService;
import io.herald.bridge.RelayDeadLetters;
import io.herald.bridge.RelayVerticle;
import io.herald.inventory.InventoryService;
import io.herald.notification.NotificationService;
import io.herald.order.OrderService;
import io.herald.payment.PaymentService;
import io.herald.shipping.ShippingService;
import io.herald.user.UserService;
import io.herald.gateway.ApiServices;
import io.herald.gateway.GatewayOptions;
import io.herald.gateway.GatewayVerticle;
import io.herald.gateway.auth.WriteRateLimiter;
import io.herald.launcher.config.ConfigException;
import io.herald.launcher.config.HeraldConfig;
import io.herald.service.config.SagaMode;
import io.herald.launcher.config.ServiceSelection;
import io.herald.service.ServiceContext;
import io.herald.ordersaga.SagaChoreography;
import io.herald.ordersaga.SagaOrchestrator;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The services a node can run, by name. Services deploy in catalogue order, so an entry comes after the
 * services it depends on; the gateway stays last, so the node takes requests only once everything else runs.
 */
public final class ServiceCatalogue {

  public static final String GATEWAY = "gateway";
  public static final String RELAY = "relay";
  public static final String SAGA = "saga";

  private final Map<String, ServiceDefinition> services = new LinkedHashMap<>();

  public ServiceCatalogue(List<ServiceDefinition> definitions) {
    for (ServiceDefinition definition : definitions) {
      if (services.putIfAbsent(definition.name(), definition) != null) {
        throw new IllegalArgumentException("service '" + definition.name() + "' is defined twice");
      }
    }
  }

  /** The services shipped in herald.jar. */
  public static ServiceCatalogue standard() {
    return new ServiceCatalogue(List.of(
        service("user", "registers users; users read model", UserService::new),
        service("inventory", "stock per SKU: set, reserve, release; inventory read model", InventoryService::new),
        service("payment", "charges and refunds payment tokens (tok_visa, tok_decline, tok_slow)", PaymentService::new),
        service("shipping", "creates one shipment per order", ShippingService::new),
        service("order", "the event-sourced Order aggregate; orders read model", OrderService::new),
        service("notification", "emails on signup and order (email.sent); notifications read model", NotificationService::new),
        service("analytics", "business counters and CRM leads read models", AnalyticsService::new),
        service("audit", "every stored event in order; audit read model", AuditService::new),
        // after the services it calls, so a resumed saga finds them listening
        new ServiceDefinition(SAGA, "the order saga: orchestrated with a circuit breaker per service, or the record and deadline of the choreographed one",
            ServiceCatalogue::deploySaga),
        // after the consumers, so the first events it publishes find them subscribed
        new ServiceDefinition(RELAY, "publishes stored events to the broker in global order", ServiceCatalogue::deployRelay),
        new ServiceDefinition(GATEWAY, "public HTTP API under /api", ctx -> deployHttp(ctx, true))));
  }

  /** A service made of one verticle, built from the services' context. */
  static ServiceDefinition service(String name, String summary, Function<ServiceContext, Deployable> verticle) {
    return new ServiceDefinition(name, summary,
        ctx -> ctx.vertx().deployVerticle(verticle.apply(ctx.services())).map(Deployment::of));
  }

  public List<String> names() {
    return List.copyOf(services.keySet());
  }

  public Optional<ServiceDefinition> find(String name) {
    return Optional.ofNullable(services.get(name));
  }

  public List<ServiceDefinition> all() {
    return List.copyOf(services.values());
  }

  /**
   * @return the selected services in catalogue (deployment) order
   * @throws ConfigException naming the first unknown service and listing the known ones
   */
  public List<ServiceDefinition> select(ServiceSelection selection) {
    if (selection.isAll()) {
      return all();
    }
    for (String name : selection.names()) {
      if (!services.containsKey(name)) {
        throw new ConfigException("unknown service '" + name + "' (known: " + String.join(", ", services.keySet()) + ")");
      }
    }
    return services.values().stream().filter(s -> selection.names().contains(s.name())).toList();
  }

  /** Orchestrated: the orchestrator. Choreographed: the saga record and its deadline (the services react themselves). */
  static Future<Deployment> deploySaga(NodeContext ctx) {
    ServiceContext services = ctx.services();
    Deployable saga = ctx.config().saga().mode() == SagaMode.CHOREOGRAPHY
        ? new SagaChoreography(services) : new SagaOrchestrator(services);
    return ctx.vertx().deployVerticle(saga).map(Deployment::of);
  }

  static Future<Deployment> deployRelay(NodeContext ctx) {
    ServiceContext services = ctx.services();
    RelayVerticle relay = new RelayVerticle(services.store(), ctx.broker(), ctx.config().relay(),
        services.roles().lease("relay:" + ctx.config().relay().checkpointName()),
        new RelayDeadLetters(services.metrics().publishListener(), ctx.deadLetters().store(),
            services.metrics().deliveryListener(), ctx.broker().name(), services.events()));
    return ctx.vertx().deployVerticle(relay)
        .map(id -> {
          services.health().register(RELAY, relay::check);
          services.metrics().relayLag(relay::lag);
          return Deployment.of(id);
        });
  }

  /**
   * Deploys the node's HTTP endpoint: health and metrics always, the public API when {@code api} is true.
   * A node whose services do not include the gateway still gets one, without the API.
   */
  static Future<Deployment> deployHttp(NodeContext ctx, boolean api) {
    HeraldConfig config = ctx.config();
    GatewayOptions options = new GatewayOptions(config.http().host(), config.http().port(), api, config.shutdownTimeoutMs(),
        config.http().limits());
    ApiServices services = api ? new ApiServices(ctx.services(), ctx.idempotency(), ctx.deadLetters(), config.feed(),
        new WriteRateLimiter(config.api().writeRateLimitPerSecond(), config.api().writeRateLimitBurst())) : null;
    GatewayVerticle gateway = new GatewayVerticle(ctx.services().health(), services, ctx.access());
    JsonObject gatewayConfig = options.toJson().put(GatewayVerticle.INSTANCES, config.http().instances());
    return ctx.vertx().deployVerticle(gateway, new DeploymentOptions().setConfig(gatewayConfig))
        .map(id -> new Deployment(id, OptionalInt.of(gateway.actualPort())));
  }
}
