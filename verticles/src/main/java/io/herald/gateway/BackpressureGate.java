package io.herald.gateway;

import io.herald.contract.QueueDepths;
import io.herald.service.config.BackpressureConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sheds new work at the HTTP edge while a service it needs is past its queue bound: the client gets 503 with
 * {@code Retry-After} naming the service, instead of an order that is accepted and then waits behind the queue.
 * Depths come from the services' reports ({@link QueueDepths}); a report older than three intervals is ignored, so
 * a node that died does not block orders forever.
 */
final class BackpressureGate implements IdempotentCommands.Shedding {

  private final Vertx vertx;
  private final BackpressureConfig config;
  private final Map<String, Report> latest = new HashMap<>();

  private record Report(String service, int depth, long receivedAtMs) {
  }

  BackpressureGate(Vertx vertx, BackpressureConfig config) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Starts listening to the services' reports, on the gateway verticle's context (undeploying it stops them). */
  void listen() {
    vertx.eventBus().<JsonObject>consumer(QueueDepths.ADDRESS, message -> {
      JsonObject body = message.body();
      latest.put(body.getString("node") + "/" + body.getString("service"),
          new Report(body.getString("service"), body.getInteger("depth", 0), System.currentTimeMillis()));
    });
  }

  @Override
  public boolean overloaded() {
    return deepest() != null;
  }

  /**
   * Lets the request through, or answers 503 with {@code Retry-After}.
   *
   * @return whether the request was refused (and answered)
   */
  @Override
  public boolean refuse(RoutingContext rc) {
    Report over = deepest();
    if (over == null) {
      return false;
    }
    rc.response().putHeader("Retry-After", Integer.toString(config.retryAfterSeconds()));
    Problems.send(rc, 503, "not accepted now: service '" + over.service() + "' has " + over.depth()
        + " commands queued (bound " + config.maxQueued() + "); retry after " + config.retryAfterSeconds() + " s");
    return true;
  }

  // the deepest fresh report past the bound, or null
  private Report deepest() {
    long fresh = System.currentTimeMillis() - 3 * config.reportIntervalMs();
    Report over = null;
    for (Report report : latest.values()) {
      if (report.receivedAtMs() >= fresh && report.depth() > config.maxQueued() && (over == null || report.depth() > over.depth())) {
        over = report;
      }
    }
    return over;
  }
}
