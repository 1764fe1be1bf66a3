package io.herald.contract;

import io.herald.metrics.HeraldMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * How busy a service is: each service with a queue publishes its depth on {@value #ADDRESS} at a fixed interval
 * (a publish, so every gateway on every node hears it) and exposes it as {@code service_queue_depth{service}}. A
 * deep queue that drains is "busy"; a service that is down stops reporting and stops answering, and its breaker
 * opens. The gateway sheds new orders while a reported depth is past {@code backpressure.maxQueued}.
 */
public final class QueueDepths {

  /** Where depths are published: {@code {"service":..,"node":..,"depth":..}}. */
  public static final String ADDRESS = "herald.queue-depth";

  private QueueDepths() {
  }

  /** Publishes {@code service}'s depth every {@code intervalMs} until the returned handle is closed. */
  public static Reporter report(Vertx vertx, HeraldMetrics metrics, String service, IntSupplier depth, long intervalMs) {
    metrics.queueDepth(service, depth);
    String node = UUID.randomUUID().toString();
    long timer = vertx.setPeriodic(0, intervalMs, t -> vertx.eventBus().publish(ADDRESS,
        new JsonObject().put("service", service).put("node", node).put("depth", depth.getAsInt())));
    return () -> vertx.cancelTimer(timer);
  }

  /** Stops one service's reports. */
  @FunctionalInterface
  public interface Reporter {
    void close();
  }
}
