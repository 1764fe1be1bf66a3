package io.herald.launcher;

import io.herald.broker.MessageBroker;
import io.herald.command.CommandBus;
import io.herald.delivery.Consumers;
import io.herald.delivery.DeadLetterStore;
import io.herald.delivery.DeadLetters;
import io.herald.delivery.memory.InMemoryDeadLetterStore;
import io.herald.delivery.pg.PgDeadLetterStore;
import io.herald.event.EventCodecs;
import io.herald.event.EventRegistry;
import io.herald.event.domain.BlueprintEvents;
import io.herald.gateway.auth.Access;
import io.herald.gateway.auth.Scope;
import io.herald.gateway.auth.Tokens;
import io.herald.health.HealthRegistry;
import io.herald.idempotency.IdempotencyStore;
import io.herald.idempotency.InMemoryIdempotencyStore;
import io.herald.idempotency.PgIdempotencyStore;
import io.herald.launcher.config.BrokerType;
import io.herald.launcher.config.HeraldConfig;
import io.herald.launcher.config.StoreConfig;
import io.herald.launcher.config.StoreType;
import io.herald.service.ServiceContext;
import io.herald.metrics.HeraldMetrics;
import io.herald.metrics.PrometheusNames;
import io.herald.projection.ProjectionState;
import io.herald.projection.Projections;
import io.herald.projection.document.DocumentStore;
import io.herald.projection.document.InMemoryDocumentStore;
import io.herald.projection.pg.PgDocumentStore;
import io.herald.lease.Roles;
import io.herald.lease.pg.PgRoles;
import io.herald.saga.InMemorySagaStore;
import io.herald.saga.PgSagaStore;
import io.herald.saga.SagaStore;
import io.herald.store.EventStore;
import io.herald.store.StoreUnavailableException;
import io.herald.store.memory.InMemoryEventStore;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.net.ConnectException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Herald process: its Vert.x instance (metrics on, codecs registered), its event store, the
 * selected services and the HTTP endpoint. {@link #start} brings them up in that order, {@link #stop} takes
 * them down in reverse: HTTP first, so no new work arrives while the rest finishes.
 */
public final class HeraldNode {

  private static final Logger log = LoggerFactory.getLogger(HeraldNode.class);

  /** How long the store may take to connect before the node gives up, in seconds. */
  static final long STORE_CONNECT_TIMEOUT_S = 30;

  private final Vertx vertx;
  private final HeraldConfig config;
  private final List<String> configLayers;
  private final HealthRegistry health = new HealthRegistry();
  private final Projections projections = new Projections();
  private final Map<String, String> serviceStates = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<NamedDeployment> deployments = new ArrayList<>();
  private EventStore store;
  private MessageBroker broker;
  private HeraldMetrics metrics;
  private NodeContext context;
  private Roles roles;
  private Access access;
  private final String localId = UUID.randomUUID().toString();
  private int httpPort = -1;
  private boolean apiServed;
  private long startedInMs;
  private Future<Void> stopped;
  private String developmentToken;

  private HeraldNode(Vertx vertx, HeraldConfig config, List<String> configLayers) {
    this.vertx = vertx;
    this.config = config;
    this.configLayers = List.copyOf(configLayers);
  }

  /**
   * Builds Vert.x, connects the store and deploys the selected services.
   *
   * @param configLayers where the config came from, for the banner ({@code default}, profiles, extra file)
   * @return the running node; fails with a {@link StartupException} or
   *     {@link io.herald.launcher.config.ConfigException} whose message is one line naming the cause,
   *     after releasing whatever had started
   */
  public static Future<HeraldNode> start(HeraldConfig config, List<String> configLayers, ServiceCatalogue catalogue) {
    long begin = System.nanoTime();
    List<ServiceDefinition> selected;
    try {
      selected = catalogue.select(config.services());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // not bound to a context: a failed start closes Vert.x, and the caller must still hear about it
    Promise<HeraldNode> started = Promise.promise();
    createVertx(config).onComplete(built -> {
      if (built.failed()) {
        started.fail(new StartupException("cannot join the cluster '" + config.cluster().name() + "' on "
            + config.cluster().host() + ":" + config.cluster().port() + ": " + oneLine(built.cause()), built.cause()));
        return;
      }
      HeraldNode node = new HeraldNode(built.result(), config, configLayers);
      node.startOn(selected).onComplete(ar -> {
        if (ar.succeeded()) {
          node.startedInMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
          started.complete(node);
        } else {
          node.stop().onComplete(stopped -> started.fail(ar.cause()));
        }
      });
    });
    return started.future();
  }

  /**
   * A Vert.x instance with Micrometer metrics exposed for Prometheus, JVM metrics included, named so that the text
   * passes {@code promtool check metrics}; clustered over Hazelcast when {@code cluster.enabled}: the event bus binds to
   * {@code cluster.host}:{@code cluster.eventBusPort}, and the node's services and HTTP port travel as its cluster
   * metadata, for the readiness report of every member.
   */
  static Future<Vertx> createVertx(HeraldConfig config) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusNames.apply(registry);
    VertxOptions options = new VertxOptions().setMetricsOptions(metrics);
    if (!config.cluster().enabled()) {
      return Future.succeededFuture(Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)).build());
    }
    JsonObject metadata = new JsonObject()
        .put("services", new JsonArray(config.services().isAll() ? List.of("all") : List.copyOf(config.services().names())))
        .put("http", config.http().host() + ":" + config.http().port());
    options.setEventBusOptions(new EventBusOptions().setHost(config.cluster().host()).setPort(config.cluster().eventBusPort())
        .setClusterNodeMetadata(metadata));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(new HazelcastClusterManager(HazelcastSetup.config(config.cluster())))
        .buildClustered();
  }

  /** @return the cluster manager when this node is clustered */
  Optional<ClusterManager> clusterManager() {
    return Optional.ofNullable(((VertxInternal) vertx).clusterManager());
  }

  private Future<Void> startOn(List<ServiceDefinition> selected) {
    EventRegistry events = BlueprintEvents.registry();
    EventCodecs.register(vertx.eventBus(), events, config.cluster().wireData());
    selected.forEach(s -> serviceStates.put(s.name(), "starting"));
    log.info("Starting Herald: {} mode, store {}, services {}", config.mode(), config.store().type().configName(),
        String.join(",", serviceStates.keySet()));
    return startAccess()
        .compose(v -> createStore(vertx, config.store(), events))
        .compose(created -> {
          store = created;
          health.register("store", () -> store.ping().map(v -> new JsonObject().put("store", store.describe())));
          broker = Brokers.create(vertx, config.broker(), events);
          return broker.start();
        })
        .compose(brokerStarted -> {
          health.register("broker", () -> broker.ping().map(ok -> new JsonObject().put("broker", broker.name())));
          health.register("services", this::servicesCheck);
          context = nodeContext(events);
          if (clusterManager().isPresent() || store instanceof PgEventStore) {
            health.register("cluster", new ClusterReport(clusterManager().orElse(null), holder(),
                store instanceof PgEventStore pg ? pg.pool() : null, roles)::check);
          }
          Future<Void> chain = Future.succeededFuture();
          for (ServiceDefinition service : selected) {
            chain = chain.compose(v -> deploy(service.name(), () -> service.deployer().deploy(context)));
          }
          return chain.compose(v -> httpPort >= 0
              ? Future.succeededFuture()
              : deploy(null, () -> ServiceCatalogue.deployHttp(context, false)));
        });
  }

  /** The node's keys: configured, or a development key made now; none at all when {@code auth.enabled} is false. */
  private Future<Void> startAccess() {
    if (!config.auth().enabled()) {
      log.warn("auth.enabled is false: the API, the feeds and the admin calls answer anyone who reaches port {}; "
          + "for local experiments only", config.http().port());
      access = Access.open();
      return Future.succeededFuture();
    }
    return Tokens.load(vertx, config.auth())
        .recover(err -> Future.failedFuture(new StartupException(oneLine(err), err)))
        .map(tokens -> {
          access = Access.required(tokens);
          if (tokens.development()) {
            log.info("No auth key configured (auth.secret, auth.publicKeys, auth.jwksFile): made a development key; "
                + "its token is in the banner and works on this process only");
          }
          return null;
        });
  }

  /** Read models, idempotency keys and sagas live where the events do: in memory, or in the store's PostgreSQL schema. */
  private NodeContext nodeContext(EventRegistry events) {
    DocumentStore documents;
    IdempotencyStore idempotency;
    DeadLetterStore deadLetterStore;
    SagaStore sagas;
    long idempotencyTtlMs = TimeUnit.SECONDS.toMillis(config.api().idempotencyTtlSeconds());
    if (store instanceof PgEventStore pg) {
      documents = new PgDocumentStore(pg.pool());
      idempotency = new PgIdempotencyStore(pg.pool(), idempotencyTtlMs, config.api().idempotencyStaleMs());
      deadLetterStore = new PgDeadLetterStore(pg.pool());
      roles = new PgRoles(vertx, pg.options().connectOptions(), pg.options().schema(), holder(),
          config.relayLease().retryMs(), config.relayLease().checkMs());
      sagas = new PgSagaStore(pg.pool());
    } else {
      documents = new InMemoryDocumentStore();
      idempotency = new InMemoryIdempotencyStore(idempotencyTtlMs, config.api().idempotencyStaleMs(), Clock.systemUTC());
      deadLetterStore = new InMemoryDeadLetterStore();
      roles = Roles.local();
      sagas = new InMemorySagaStore();
    }
    metrics = HeraldMetrics.forVertx();
    metrics.projections(projections);
    metrics.start(vertx, config.metrics().sampleIntervalMs());
    Consumers consumers = new Consumers(vertx, broker, deadLetterStore, config.delivery().retry(), metrics.deliveryListener())
        .withMaxMessageBytes(config.delivery().maxMessageBytes());
    DeadLetters deadLetters = new DeadLetters(vertx, deadLetterStore, config.delivery().redriveTimeoutMs());
    ServiceContext services = new ServiceContext(vertx, NodeContext.serviceConfig(config), store, events, health,
        new CommandBus(vertx, config.api().commandTimeoutMs()), documents, store.checkpoints(), projections, consumers, sagas,
        metrics, roles);
    return new NodeContext(services, config, broker, idempotency, deadLetters, access);
  }

  private Future<Void> deploy(String service, Supplier<Future<Deployment>> action) {
    String label = service == null ? "HTTP endpoint" : service;
    return action.get()
        .recover(err -> Future.failedFuture(err instanceof StartupException ? err
            : new StartupException(label + " failed to start: " + oneLine(err), err)))
        .map(deployment -> {
          deployments.add(new NamedDeployment(label, deployment.id()));
          if (deployment.httpPort().isPresent() && httpPort < 0) {
            httpPort = deployment.httpPort().getAsInt();
            apiServed = ServiceCatalogue.GATEWAY.equals(service);
          }
          if (service != null) {
            serviceStates.put(service, "up");
          }
          registerProjectionChecks();
          log.info("{} started", label);
          return null;
        });
  }


  static Future<EventStore> createStore(Vertx vertx, StoreConfig config, EventRegistry events) {
    if (config.type() == StoreType.MEMORY) {
      return Future.succeededFuture(new InMemoryEventStore(vertx, config.sizeLimit()));
    }
    PgStoreOptions pg = config.postgres();
    log.info("Connecting to PostgreSQL at {}", pg.address());
    return PgEventStore.connect(vertx, pg, events, config.sizeLimit())
        .timeout(STORE_CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
        .<EventStore>map(s -> s)
        .recover(err -> Future.failedFuture(new StartupException(postgresFailure(pg, err), err)));
  }

  /**
   * One line naming the server. PgEventStore's own message is kept when it already names host:port/database;
   * otherwise the root cause is wrapped, e.g. {@code cannot reach PostgreSQL at 127.0.0.1:5433/test: Connection refused}.
   */
  static String postgresFailure(PgStoreOptions pg, Throwable err) {
    String where = pg.host() + ":" + pg.port() + "/" + pg.database();
    String message = oneLine(err);
    if (message.contains(where)) {
      return message;
    }
    if (err instanceof TimeoutException) {
      return "cannot reach PostgreSQL at " + where + ": no answer within " + STORE_CONNECT_TIMEOUT_S + " s";
    }
    Throwable root = err;
    boolean unreachable = false;
    for (Throwable t = err; t != null; t = t.getCause()) {
      unreachable |= t instanceof ConnectException || t instanceof StoreUnavailableException;
      root = t;
    }
    String reason = oneLine(root).replaceFirst(":\\s*\\S*/\\S+:\\d+$", "");   // "Connection refused: /127.0.0.1:5433"
    return (unreachable ? "cannot reach PostgreSQL at " : "PostgreSQL store at ") + where
        + (unreachable ? ": " : " failed to start: ") + reason;
  }

  /** One readiness check per projection, named {@code projection:<name>}, added as the services that own them start. */
  private void registerProjectionChecks() {
    for (String name : projections.names()) {
      String check = "projection:" + name;
      if (!health.names().contains(check)) {
        health.register(check, () -> projections.find(name)
            .map(runner -> runner.status().compose(status -> status.state() == ProjectionState.FAILED
                ? Future.<JsonObject>failedFuture("failed: " + status.error())
                : Future.succeededFuture(new JsonObject().put("state", status.state().name().toLowerCase())
                    .put("checkpoint", status.checkpoint()).put("lag", status.lag()))))
            .orElseGet(() -> Future.failedFuture("not running")));
      }
    }
  }

  private Future<JsonObject> servicesCheck() {
    Map<String, String> states;
    synchronized (serviceStates) {
      states = new LinkedHashMap<>(serviceStates);
    }
    List<String> notUp = states.entrySet().stream().filter(e -> !"up".equals(e.getValue()))
        .map(e -> e.getKey() + " " + e.getValue()).toList();
    if (!notUp.isEmpty()) {
      return Future.failedFuture(String.join(", ", notUp));
    }
    return Future.succeededFuture(new JsonObject().put("services", new JsonArray(List.copyOf(states.keySet()))));
  }

  /**
   * Stops in reverse order of start: the HTTP endpoint first (in-flight requests finish, new ones are refused),
   * then the other services, then the store, then Vert.x. Idempotent.
   */
  public synchronized Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    synchronized (serviceStates) {
      serviceStates.replaceAll((name, state) -> "stopping");
    }
    List<NamedDeployment> reverse = new ArrayList<>(deployments);
    Collections.reverse(reverse);
    Future<Void> chain = Future.succeededFuture();
    for (NamedDeployment deployment : reverse) {
      chain = chain.compose(v -> {
        log.info("Stopping {}", deployment.name());
        return vertx.undeploy(deployment.id())
            .recover(err -> {
              log.warn("{} did not stop cleanly: {}", deployment.name(), oneLine(err));
              return Future.succeededFuture();
            });
      });
    }
    if (metrics != null) {
      metrics.stop();
    }
    stopped = chain
        .compose(v -> {
          if (broker == null) {
            return Future.succeededFuture();
          }
          log.info("Closing the broker connection");
          return broker.close().recover(err -> {
            log.warn("The broker did not close cleanly: {}", oneLine(err));
            return Future.succeededFuture();
          });
        })
        .compose(v -> {
          if (store == null) {
            return Future.succeededFuture();
          }
          log.info("Closing the event store");
          return store.close().recover(err -> {
            log.warn("The event store did not close cleanly: {}", oneLine(err));
            return Future.succeededFuture();
          });
        })
        .compose(v -> {
          log.info("Closing Vert.x");
          return vertx.close();
        })
        .onComplete(ar -> log.info("Herald stopped"));
    return stopped;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** @return this node's name as role holder: its cluster node id, or an id of this process when not clustered */
  String holder() {
    return clusterManager().map(ClusterManager::getNodeId).orElse(localId);
  }

  public HeraldConfig config() {
    return config;
  }

  /** @return where the configuration came from: {@code default}, then the profiles, then the extra file */
  public List<String> configLayers() {
    return configLayers;
  }

  public EventStore store() {
    return store;
  }

  /** @return what the node's services were deployed with (store, consumers, read models, sagas...) */
  public ServiceContext context() {
    return context.services();
  }

  public MessageBroker broker() {
    return broker;
  }

  public HealthRegistry health() {
    return health;
  }

  public Projections projections() {
    return projections;
  }

  /** @return who may call the node's HTTP API; its keys mint tokens when they hold a secret */
  public Access access() {
    return access;
  }

  /**
   * For the tools that drive this node from its own process (load tools, tests): the banner's development token, or
   * one minted with the configured {@code auth.secret}, with every scope.
   *
   * @return empty when auth is off or the node's keys only check tokens
   */
  public Optional<String> tokenWithEveryScope(long ttlSeconds) {
    return developmentToken().or(() -> access == null ? Optional.empty() : access.tokens().filter(Tokens::canSign)
        .map(t -> t.mint(EnumSet.allOf(Scope.class), ttlSeconds, "herald-tools")));
  }

  /** @return the token with every scope that the banner shows, when the node made its own development key */
  public synchronized Optional<String> developmentToken() {
    return access == null ? Optional.empty() : access.tokens().filter(Tokens::development).map(t -> {
      if (developmentToken == null) {
        developmentToken = t.developmentToken();
      }
      return developmentToken;
    });
  }

  /** @return the port the HTTP endpoint is bound to */
  public int httpPort() {
    return httpPort;
  }

  /** @return {@code http://host:port} with a host a client can use (a wildcard bind shows as 127.0.0.1) */
  public String baseUrl() {
    String host = config.http().host();
    if ("0.0.0.0".equals(host)) {
      host = "127.0.0.1";
    } else if ("::".equals(host) || "[::]".equals(host)) {
      host = "[::1]";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + httpPort;
  }

  /** The lines printed once the node runs: mode, config, store, broker, services and where to reach it. */
  public String banner() {
    String url = baseUrl();
    StringBuilder banner = new StringBuilder()
        .append("Herald started in ").append(startedInMs).append(" ms\n")
        .append(row("mode", config.mode()))
        .append(row("profiles", String.join(", ", configLayers)))
        .append(row("store", store.describe()))
        .append(row("broker", config.broker().type().configName()
            + (config.broker().type() == BrokerType.EVENTBUS ? " (in this process)" : "")))
        .append(row("saga", config.saga().mode().configName()))
        .append(row("cluster", clusterManager().map(cm -> config.cluster().name() + ", node " + cm.getNodeId() + ", "
            + cm.getNodes().size() + " member(s)").orElse("off")))
        .append(row("services", serviceStates.isEmpty() ? "none" : String.join(", ", serviceStates.keySet())))
        .append(row("api", apiServed ? url + "/api" : "not served by this node (gateway not selected)"))
        .append(row("health", url + "/health/live  " + url + "/health/ready"))
        .append(row("metrics", url + "/metrics"));
    if (!config.auth().enabled()) {
      banner.append(row("auth", "OFF: anyone who reaches this port may call everything (auth.enabled is false)"));
    } else if (developmentToken().isPresent()) {
      // a development key lives and dies with this process: its token is the way in, and is shown once, here
      banner.append(row("token", developmentToken().get()));
    }
    if (config.store().type() == StoreType.MEMORY) {
      banner.append(row("NOTE", "events live only in memory and are lost when this process stops;"
          + " use --profile postgres to keep them"));
    }
    return banner.toString().stripTrailing();
  }

  private static String row(String name, String value) {
    return String.format("  %-9s %s%n", name, value);
  }

  static String oneLine(Throwable err) {
    String message = err.getMessage() == null || err.getMessage().isBlank() ? err.getClass().getSimpleName() : err.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }

  private record NamedDeployment(String name, String id) {
  }

  @Override
  public String toString() {
    return "HeraldNode[" + config.mode() + ", " + baseUrl() + "]";
  }
}
