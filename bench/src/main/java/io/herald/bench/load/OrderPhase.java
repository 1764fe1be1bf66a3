package io.herald.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/**
 * Places the orders, at most {@code concurrency} in flight. Each order is a POST, then a read of it with
 * {@code minPosition} set to the position the POST answered; its latency runs from its send time to that read's 200.
 *
 * <p>Without a rate the phase is a closed loop: an order is sent as soon as a slot is free, and its send time is
 * when it was sent. With a rate it is an open loop: order {@code k} is due at {@code start + k / rate}, and its
 * latency is measured from that due time even when every slot was busy then, so a stalled node shows up in the
 * latencies instead of silently slowing the sender (no coordinated omission).
 *
 * <p>Everything runs on the context {@link #run()} is called on.
 */
final class OrderPhase {

  private static final long TICK_MS = 1;

  private final Vertx vertx;
  private final ApiClient api;
  private final OrderFactory factory;
  private final int orders;
  private final int concurrency;
  private final double rate;
  private final OrderStats stats;
  private final Promise<OrderStats> finished = Promise.promise();
  private long startNanos;
  private long intervalNanos;
  private int sent;
  private int inFlight;
  private long ticker = -1;

  OrderPhase(Vertx vertx, ApiClient api, OrderFactory factory, LoadOptions options, OrderStats stats) {
    this.vertx = vertx;
    this.api = api;
    this.factory = factory;
    this.orders = options.orders();
    this.concurrency = options.concurrency();
    this.rate = options.rate();
    this.stats = stats;
  }

  /** @return the statistics, once every order has been answered either way */
  Future<OrderStats> run() {
    startNanos = System.nanoTime();
    stats.started(startNanos);
    if (rate > 0) {
      intervalNanos = Math.max(1, Math.round(1e9 / rate));
      ticker = vertx.setPeriodic(TICK_MS, t -> dispatch());
    }
    dispatch();
    return finished.future();
  }

  /** Sends every order that is due while a slot is free. */
  private void dispatch() {
    long now = System.nanoTime();
    long due = rate > 0 ? Math.min(orders, (now - startNanos) / intervalNanos + 1) : orders;
    while (sent < due && inFlight < concurrency) {
      long scheduled = rate > 0 ? startNanos + sent * intervalNanos : now;
      sent++;
      inFlight++;
      place(scheduled).onComplete(ar -> {
        inFlight--;
        if (ar.failed()) {
          stats.failed("client: " + Failures.oneLine(ar.cause()));
        }
        if (stats.done() == orders) {
          finish();
        } else {
          dispatch();
        }
      });
    }
    if (sent == orders && ticker >= 0) {
      vertx.cancelTimer(ticker);
      ticker = -1;
    }
  }

  private Future<Void> place(long scheduled) {
    return api.placeOrder(factory.next())
        .transform(ar -> {
          if (ar.failed()) {
            stats.failed(Failures.transport("POST", ar.cause()));
            return Future.succeededFuture();
          }
          HttpResponse<Buffer> response = ar.result();
          if (response.statusCode() != 202) {
            stats.failed(Failures.status("POST", response));
            return Future.succeededFuture();
          }
          stats.accepted(System.nanoTime() - scheduled);
          JsonObject body = response.bodyAsJsonObject();
          if (body == null || body.getString("orderId") == null || !(body.getValue("position") instanceof Number position)) {
            stats.failed("POST 202 without orderId and position");
            return Future.succeededFuture();
          }
          stats.placed(body.getString("orderId"));
          return read(body.getString("orderId"), position.longValue(), scheduled);
        });
  }

  private Future<Void> read(String orderId, long position, long scheduled) {
    return api.order(orderId, position).transform(ar -> {
      if (ar.failed()) {
        stats.failed(Failures.transport("GET", ar.cause()));
      } else if (ar.result().statusCode() != 200) {
        stats.failed(Failures.status("GET", ar.result()));
      } else {
        stats.visible(System.nanoTime() - scheduled);
      }
      return Future.succeededFuture();
    });
  }

  private void finish() {
    stats.finished(System.nanoTime());
    finished.tryComplete(stats);
  }
}
