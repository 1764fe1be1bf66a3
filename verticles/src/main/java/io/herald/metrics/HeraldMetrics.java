package io.herald.metrics;

import io.herald.broker.TypePatterns;
import io.herald.delivery.DeliveryListener;
import io.herald.event.RecordedEvent;
import io.herald.projection.ProjectionStatus;
import io.herald.projection.Projections;
import io.herald.relay.PublishListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald's own Prometheus metrics, beside the ones Vert.x records (HTTP, event bus, pools):
 *
 * <table>
 *   <caption>metrics</caption>
 *   <tr><td>{@code events_published_total{event_type}}</td><td>events the broker confirmed to the relay</td></tr>
 *   <tr><td>{@code events_consumed_total{event_type,consumer}}</td><td>events a consumer group handled and settled</td></tr>
 *   <tr><td>{@code event_processing_seconds{event_type,consumer}}</td><td>histogram: handler time, retries included</td></tr>
 *   <tr><td>{@code dead_letters_total{consumer,event_type}}</td><td>messages a consumer group gave up on</td></tr>
 *   <tr><td>{@code relay_lag_events}</td><td>stored events the broker has not confirmed</td></tr>
 *   <tr><td>{@code consumer_lag_events{consumer}}</td><td>events published for a group and not settled by it yet</td></tr>
 *   <tr><td>{@code projection_lag_events{projection}}</td><td>stored events a projection has not applied</td></tr>
 *   <tr><td>{@code sagas{status}}</td><td>sagas by status, from {@link #sagaStatusGauge}</td></tr>
 *   <tr><td>{@code circuit_breaker_state{name}}</td><td>0 closed, 1 half-open, 2 open, from {@link #breakerState}</td></tr>
 *   <tr><td>{@code feed_clients}</td><td>open SSE and WebSocket feed connections</td></tr>
 * </table>
 *
 * Counters are recorded as things happen (through the {@link PublishListener} and {@link DeliveryListener} that the
 * relay and the consumer groups call); lags need the store and are sampled every {@code metrics.sampleIntervalMs}.
 */
public final class HeraldMetrics {

  private static final Logger log = LoggerFactory.getLogger(HeraldMetrics.class);

  /** {@code circuit_breaker_state} of a closed breaker (calls go through). */
  public static final int BREAKER_CLOSED = 0;
  /** {@code circuit_breaker_state} of a half-open breaker (a trial call goes through). */
  public static final int BREAKER_HALF_OPEN = 1;
  /** {@code circuit_breaker_state} of an open breaker (calls fail fast). */
  public static final int BREAKER_OPEN = 2;

  private static final Duration[] PROCESSING_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final MeterRegistry registry;
  private final Map<String, Counter> published = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> consumed = new ConcurrentHashMap<>();
  private final Map<List<String>, Timer> processing = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Map<String, GroupLag> groups = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> projectionLags = new ConcurrentHashMap<>();
  private final AtomicReference<Double> relayLag = new AtomicReference<>(Double.NaN);
  private final List<Sampled> sampled = new CopyOnWriteArrayList<>();
  private volatile Supplier<Future<Long>> relayLagSource;
  private volatile Projections projections;
  private long timer = -1;
  private Vertx vertx;

  /** @param registry where meters go; see {@link #forVertx()} */
  public HeraldMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    Gauge.builder("relay.lag", () -> relayLag.get()).baseUnit("events")
        .description("Stored events the broker has not confirmed yet (NaN while this node's relay does not publish)")
        .register(registry);
  }

  /** Metrics in the Vert.x instance's registry (the one {@code /metrics} shows), or nowhere when metrics are off. */
  public static HeraldMetrics forVertx() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return new HeraldMetrics(registry != null ? registry : new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  // ---- counters, recorded where things happen

  /** Counts what the relay's broker confirmed: {@code events_published_total}. */
  public PublishListener publishListener() {
    return events -> {
      for (RecordedEvent event : events) {
        published.computeIfAbsent(event.type(), type -> Counter.builder("events.published")
            .description("Events the broker confirmed to the relay").tag("event_type", type).register(registry)).increment();
        for (GroupLag group : groups.values()) {
          group.published(event.type());
        }
      }
    };
  }

  /** Counts how consumer groups settle events: consumed, processing time, dead letters, lag. */
  public DeliveryListener deliveryListener() {
    return new DeliveryListener() {
      @Override
      public void subscribed(String group, List<String> typePatterns) {
        groups.computeIfAbsent(group, name -> new GroupLag(name, TypePatterns.of(typePatterns)));
      }

      @Override
      public void handled(String group, RecordedEvent event, long elapsedNanos) {
        List<String> key = List.of(event.type(), group);
        consumed.computeIfAbsent(key, k -> Counter.builder("events.consumed")
            .description("Events a consumer group handled and settled")
            .tags("event_type", k.get(0), "consumer", k.get(1)).register(registry)).increment();
        processing.computeIfAbsent(key, k -> Timer.builder("event.processing")
            .description("Time a consumer group took to handle an event, retries included")
            .tags("event_type", k.get(0), "consumer", k.get(1))
            .serviceLevelObjectives(PROCESSING_BUCKETS).register(registry)).record(elapsedNanos, TimeUnit.NANOSECONDS);
        settled(group);
      }

      @Override
      public void deadLettered(String group, String eventType) {
        List<String> key = List.of(group, eventType == null ? "unreadable" : eventType);
        deadLetters.computeIfAbsent(key, k -> Counter.builder("dead.letters")
            .description("Messages a consumer group gave up on and kept as dead letters, by origin")
            .tags("consumer", k.get(0), "event_type", k.get(1)).register(registry)).increment();
        settled(group);
      }
    };
  }

  private void settled(String group) {
    GroupLag lag = groups.get(group);
    if (lag != null) {
      lag.settled.increment();
    }
  }

  // ---- hooks for components that report their own state

  /** The relay's lag, sampled: {@code relay_lag_events}; the source fails while this node's relay stands by. */
  public void relayLag(Supplier<Future<Long>> source) {
    relayLagSource = source;
  }

  /** Every projection's lag, sampled: {@code projection_lag_events{projection}}. */
  public void projections(Projections running) {
    projections = running;
  }

  /**
   * Sagas by status, sampled: {@code sagas{status}}.
   *
   * @param counts how many sagas are in each status now ({@code running}, {@code completed}, {@code compensated}, ...);
   *               called on a Vert.x thread, must not block
   */
  public void sagaStatusGauge(Supplier<Map<String, Long>> counts) {
    MultiGauge gauge = MultiGauge.builder("sagas").description("Sagas by status").register(registry);
    sampled.add(() -> gauge.register(counts.get().entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of("status", e.getKey()), e.getValue()))
        .map(row -> (MultiGauge.Row<?>) row).toList(), true));
  }

  /**
   * A circuit breaker's state: {@code circuit_breaker_state{name}}, read at each scrape.
   *
   * @param state {@link #BREAKER_CLOSED}, {@link #BREAKER_HALF_OPEN} or {@link #BREAKER_OPEN}
   */
  public void breakerState(String name, IntSupplier state) {
    Gauge.builder("circuit.breaker.state", state::getAsInt)
        .description("Circuit breaker state: 0 closed, 1 half-open, 2 open").tag("name", name).strongReference(true)
        .register(registry);
  }

  /**
   * Commands a service has queued (sagas in flight for the saga service): {@code service_queue_depth{service}},
   * read at each scrape. Deep and draining is busy; a service that is down answers nothing and its breaker opens.
   */
  public void queueDepth(String service, IntSupplier depth) {
    Gauge.builder("service.queue.depth", depth::getAsInt).description("Commands queued in a service")
        .tag("service", service).strongReference(true).register(registry);
  }

  /** Open feed connections: {@code feed_clients}, read at each scrape. */
  public void feedClients(IntSupplier clients) {
    Gauge.builder("feed.clients", clients::getAsInt).description("Open SSE and WebSocket feed connections")
        .strongReference(true).register(registry);
  }

  // ---- sampling

  /** Samples the lags every {@code intervalMs} until {@link #stop()}. */
  public void start(Vertx vertx, long intervalMs) {
    this.vertx = vertx;
    timer = vertx.setPeriodic(0, intervalMs, t -> sample());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Takes one sample now; also what the periodic timer runs. */
  public Future<Void> sample() {
    for (Sampled source : sampled) {
      try {
        source.sample();
      } catch (RuntimeException e) {
        log.warn("a metrics source failed: {}", e.toString());
      }
    }
    Supplier<Future<Long>> relay = relayLagSource;
    Future<Void> relaySampled = relay == null ? Future.succeededFuture()
        : relay.get().onComplete(ar -> relayLag.set(ar.succeeded() ? ar.result().doubleValue() : Double.NaN)).mapEmpty();
    Projections running = projections;
    Future<Void> projectionsSampled = running == null ? Future.succeededFuture()
        : running.statuses().onSuccess(this::projectionLags).mapEmpty();
    return Future.join(relaySampled, projectionsSampled).mapEmpty();
  }

  private void projectionLags(List<ProjectionStatus> statuses) {
    for (ProjectionStatus status : statuses) {
      projectionLags.computeIfAbsent(status.name(), name -> {
        AtomicLong lag = new AtomicLong();
        Gauge.builder("projection.lag", lag, AtomicLong::get).baseUnit("events")
            .description("Stored events a projection has not applied yet").tag("projection", name).register(registry);
        return lag;
      }).set(status.lag());
    }
  }

  @FunctionalInterface
  private interface Sampled {
    void sample();
  }

  /** Published-for-the-group minus settled-by-the-group, since the group subscribed on this node. */
  private final class GroupLag {

    private final TypePatterns patterns;
    private final Map<String, Boolean> matches = new ConcurrentHashMap<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder settled = new LongAdder();

    GroupLag(String group, TypePatterns patterns) {
      this.patterns = patterns;
      Gauge.builder("consumer.lag", this, GroupLag::lag).baseUnit("events")
          .description("Events the relay published for a consumer group and the group has not settled yet")
          .tag("consumer", group).register(registry);
    }

    void published(String type) {
      if (matches.computeIfAbsent(type, patterns::matches)) {
        published.increment();
      }
    }

    double lag() {
      return Math.max(0, published.sum() - settled.sum());
    }
  }
}
