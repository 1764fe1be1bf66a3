package io.herald.broker.nats;

import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.RawMessage;
import io.herald.broker.StructuredCloudEvents;
import io.herald.broker.TypePatterns;
import io.herald.broker.support.AbstractBroker;
import io.herald.broker.support.ClientFutures;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NATS JetStream broker adapter, on the official client (jnats) bridged onto Vert.x: the client completes its
 * futures on its own threads and every result hops back to the caller's context; its blocking calls (connect,
 * management, key-value, pull) run on worker threads or on a group member's own pulling thread, never on an event
 * loop.
 *
 * <p><b>Mapping.</b> One stream {@code EVENTS} (the namespace in upper case) on {@code events.>}, file storage,
 * {@link NatsBrokerOptions#maxAgeSeconds()}; an event of type {@code order.created} is published on
 * {@code events.order.created} in the {@link NatsBinding structured CloudEvents binding}, with
 * {@code Nats-Msg-Id} = event id. A publish is confirmed by JetStream's PubAck; {@link #publishAll} pipelines up
 * to {@link NatsBrokerOptions#publishWindow()} publishes and confirms them in order.
 *
 * <p><b>Groups.</b> A consumer group is a durable pull consumer named like the group, created by the first
 * {@link #subscribe} with deliver policy "new", explicit acks and the narrowest filter subject its patterns allow;
 * it keeps its position across restarts, so a later member continues from what was acked. JetStream would spread a
 * durable's messages over every puller and lose the per-stream order, so the members of a group elect one active
 * member through a lease in the key-value bucket {@code EVENTS_LEASES}; see {@link NatsMember}.
 *
 * <p><b>Dead letters</b> go to the stream {@code EVENTS_DEAD} on {@code events_dead.<group>}: the original data and
 * headers plus {@code herald-dead-letter-reason}, {@code -attempts}, {@code -group} and {@code -origin}
 * ({@code EVENTS events.order.paid #17}); the original is acked once the dead letter is stored.
 *
 * <p><b>Outages.</b> The group members' connection reconnects by itself, forever, every
 * {@link NatsBrokerOptions#reconnectWaitMs()}; meanwhile ping fails with {@link BrokerUnavailableException}, acks
 * are retried, and the active member's pulls resume on the durable consumer once the connection is back.
 * Publishes go through a second connection that is replaced instead of reconnected ({@link NatsPublishLink}), so that
 * nothing queued before a cut reaches JetStream after it; meanwhile publish fails fast. A connection that says it is
 * connected but is not answered for two request timeouts is made to reconnect (the publishing one is replaced).
 */
public final class NatsBroker extends AbstractBroker<NatsMember, NatsBrokerOptions> {

  private static final Logger log = LoggerFactory.getLogger(NatsBroker.class);
  private static final String JS_INFO = "$JS.API.INFO";

  private final NatsNames names;
  private final NatsBinding binding;
  private final NatsTopology topology;
  private volatile NatsConnection session;
  private volatile NatsPublisher publisher;
  private volatile NatsPublishLink publishLink;
  private long watchdog = -1;
  private boolean probing;
  private int unanswered;

  /** Creates a broker with {@link NatsBrokerOptions#defaults()}. */
  public NatsBroker(Vertx vertx, EventRegistry registry) {
    this(vertx, NatsBrokerOptions.defaults(), registry);
  }

  /** @param registry the event types, to decode what is consumed */
  public NatsBroker(Vertx vertx, NatsBrokerOptions options, EventRegistry registry) {
    super(vertx, options);
    this.names = new NatsNames(options.namespace());
    this.binding = new NatsBinding(new StructuredCloudEvents(Objects.requireNonNull(registry, "registry")), names);
    this.topology = new NatsTopology(names, options);
  }

  @Override
  public String name() {
    // credentials in a server URL (nats://user:password@host) stay out of logs and health output
    return "nats " + String.join(",", options.servers()).replaceAll("//[^@/,]*@", "//***@") + " (stream " + names.stream() + ")";
  }

  /** Connects and creates the streams and the lease bucket when absent; fails with {@link BrokerUnavailableException}. */
  @Override
  protected Future<Void> open() {
    return context.executeBlocking(this::connect, false).map(connected -> {
      // in place before the broker counts as started: a publish may come from any thread right after
      session = connected;
      publisher = new NatsPublisher(publishLink, binding, options.publishTimeoutMs(), options.publishWindow());
      return null;
    });
  }

  @Override
  protected void onStarted() {
    watchdog = vertx.setPeriodic(Math.max(500, options.requestTimeoutMs()), t -> probe());
  }

  private NatsConnection connect() throws Exception {
    Options natsOptions = new Options.Builder()
        .servers(options.servers().toArray(String[]::new))
        .connectionName("herald " + options.namespace())
        .connectionTimeout(Duration.ofMillis(options.connectTimeoutMs()))
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(options.reconnectWaitMs()))
        .connectionListener(this::connectionEvent)
        .build();
    Connection connection = Nats.connect(natsOptions);
    NatsPublishLink link = null;
    try {
      JetStreamOptions jsOptions = JetStreamOptions.builder()
          .requestTimeout(Duration.ofMillis(options.requestTimeoutMs())).build();
      JetStreamManagement management = connection.jetStreamManagement(jsOptions);
      topology.ensureStreams(management);
      NatsConnection made = new NatsConnection(connection, connection.jetStream(jsOptions), management,
          topology.ensureLeaseBucket(connection, Duration.ofMillis(options.requestTimeoutMs())));
      // publishes get a connection of their own, replaced after a cut instead of reconnected: see NatsPublishLink
      link = new NatsPublishLink(vertx, context, name(), options, jsOptions, this::answers);
      link.connect();
      publishLink = link;
      return made;
    } catch (Exception e) {
      if (link != null) {
        link.close();
      }
      NatsPublishLink.discard(connection);
      throw e;
    }
  }

  /**
   * A connection jnats reports as connected may still not be answered: after a reconnect, requests have gone
   * unanswered for minutes while the status said CONNECTED. Every {@code requestTimeoutMs} each connection is asked
   * for a JetStream answer; the shared one is made to reconnect after two unanswered probes in a row, the publishing
   * one is replaced after one (an unanswered publish connection would otherwise hold the relay for minutes).
   */
  private void probe() {
    NatsConnection s = session;
    NatsPublishLink link = publishLink;
    if (!state.isStarted() || s == null || probing) {
      return;
    }
    probing = true;
    context.executeBlocking(() -> {
      link.probe();
      return s.connected() ? answers(s.connection()) : null;
    }, false).onComplete(ar -> {
      probing = false;
      if (ar.failed() || ar.result() == null) {
        return;
      }
      unanswered = ar.result() ? 0 : unanswered + 1;
      if (unanswered >= 2 && state.isStarted()) {
        unanswered = 0;
        log.warn("broker '{}': the server has not answered for {} ms although connected; reconnecting", name(),
            2 * options.requestTimeoutMs());
        context.executeBlocking(() -> {
          s.connection().forceReconnect();
          return null;
        }, false).onFailure(err -> log.warn("broker '{}' could not force a reconnect: {}", name(), err.toString()));
      }
    });
  }

  /** @return whether JetStream answers on {@code connection} within the request timeout; blocking */
  private boolean answers(Connection connection) {
    try {
      Message reply = connection.request(JS_INFO, null, Duration.ofMillis(options.requestTimeoutMs()));
      return reply != null && !reply.isStatusMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true; // closing: nothing to conclude
    } catch (RuntimeException e) {
      return connection.getStatus() != Connection.Status.CONNECTED; // a drop is jnats' to handle, not a stall
    }
  }

  private void connectionEvent(Connection connection, ConnectionListener.Events event) {
    switch (event) {
      case DISCONNECTED -> log.warn("broker '{}' lost its connection; reconnecting every {} ms", name(),
          options.reconnectWaitMs());
      case RECONNECTED -> log.info("broker '{}' reconnected", name());
      default -> log.debug("broker '{}': {}", name(), event);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Confirmed by JetStream's PubAck; fails fast with {@link BrokerUnavailableException} while disconnected,
   * and when no ack arrives within {@link NatsBrokerOptions#publishTimeoutMs()} (the event may have been stored: a
   * retry within the duplicate window is dropped by the server as a duplicate).
   */
  @Override
  public Future<Void> publish(RecordedEvent event) {
    Objects.requireNonNull(event, "event");
    return whenStarted(() -> publisher.publish(Vertx.currentContext(), event));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Pipelined: up to {@link NatsBrokerOptions#publishWindow()} events are sent before their acks arrive;
   * JetStream stores them in send order, and the result reports the first event (in list order) that was not
   * confirmed. Events after it may have been stored too; a retry of them is deduplicated by id.
   */
  @Override
  public Future<Void> publishAll(List<RecordedEvent> events) {
    Objects.requireNonNull(events, "events");
    Context caller = Vertx.currentContext();
    return whenStarted(() -> publisher.publishAll(caller != null ? caller : context, events));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Group names are letters, digits, {@code -} and {@code _} (they name a JetStream consumer). Creates the
   * group's durable consumer when absent (it then receives what is published from now on), and makes the first
   * attempt at the group's lease, before the future completes. Fails with {@link IllegalStateException} when the
   * group exists with another filter subject and the server refuses to change it.
   */
  @Override
  protected Future<NatsMember> join(String group, TypePatterns patterns, DeliveryHandler handler, Context memberContext) {
    NatsConnection s = session;
    String filter = names.filterSubject(patterns);
    return memberContext.executeBlocking(() -> {
      topology.ensureConsumer(s.management(), group, filter);
      return null;
    }, false).recover(err -> Future.failedFuture(err instanceof IllegalStateException ? err
        : new BrokerUnavailableException("consumer group '" + group + "' could not be created: " + err.getMessage(), err)))
        .compose(v -> {
          NatsMember member = new NatsMember(vertx, memberContext, s, names, options, binding, group, patterns, handler);
          return member.start().map(member);
        });
  }

  /** Group names are letters, digits, {@code -} and {@code _}: they name a JetStream consumer. */
  @Override
  protected void validateGroup(String group) {
    NatsNames.validateGroup(group);
  }

  @Override
  public RecordedEvent decode(RawMessage message) {
    return binding.decode(Objects.requireNonNull(message, "message"));
  }

  /**
   * Succeeds when the broker is started, connected, and JetStream answers an account-info request within
   * {@link NatsBrokerOptions#requestTimeoutMs()}; otherwise fails with {@link BrokerUnavailableException}.
   */
  @Override
  public Future<Void> ping() {
    NatsConnection s = session;
    if (!state.isStarted() || s == null) {
      return Future.failedFuture(state.unavailable());
    }
    if (!s.connected()) {
      return Future.failedFuture(new BrokerUnavailableException("broker '" + name() + "' is not connected ("
          + s.connection().getStatus() + "); reconnecting"));
    }
    if (!publishLink.up()) {
      return Future.failedFuture(new BrokerUnavailableException("broker '" + name()
          + "' lost its publishing connection; opening a new one"));
    }
    return ClientFutures.of(Vertx.currentContext(), () -> s.connection()
            .requestWithTimeout(JS_INFO, null, Duration.ofMillis(options.requestTimeoutMs()))
            .orTimeout(options.requestTimeoutMs() + 1_000, TimeUnit.MILLISECONDS))
        .transform(ar -> {
          String problem = ar.failed() ? String.valueOf(ar.cause().getMessage())
              : ar.result().isStatusMessage() ? "JetStream answered " + ar.result().getStatus()
              : jsError(ar.result());
          return problem == null ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(new BrokerUnavailableException(
              "broker '" + name() + "' is unreachable: " + problem, ar.cause()));
        });
  }

  private static String jsError(Message msg) {
    try {
      JsonObject body = new JsonObject(new String(msg.getData(), java.nio.charset.StandardCharsets.UTF_8));
      JsonObject error = body.getJsonObject("error");
      return error == null ? null : "JetStream error " + error.encode();
    } catch (RuntimeException e) {
      return "unreadable JetStream answer: " + e.getMessage();
    }
  }

  @Override
  protected void onClosing() {
    vertx.cancelTimer(watchdog);
  }

  /** Once every member is closed (nothing unsettled was acked: the server redelivers it), closes the connections. */
  @Override
  protected Future<Void> closeClients() {
    NatsConnection s = session;
    NatsPublishLink link = publishLink;
    if (s == null) {
      return Future.succeededFuture();
    }
    return context.<Void>executeBlocking(() -> {
      try {
        s.connection().flush(Duration.ofMillis(options.requestTimeoutMs()));
      } catch (Exception e) {
        log.debug("broker '{}' could not flush before closing: {}", name(), e.toString());
      }
      NatsPublishLink.discard(s.connection());
      link.close();
      return null;
    }, false).recover(e -> Future.succeededFuture());
  }
}
