package io.herald.ordersaga;

import io.herald.async.Backoff;
import io.herald.command.CommandBus;
import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailure;
import io.herald.contract.ServiceAddresses;
import io.herald.saga.BreakerRegistry;
import io.herald.saga.SagaEntry;
import io.herald.saga.SagaState;
import io.herald.saga.SagaStatus;
import io.herald.saga.SagaStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline of choreographed sagas: every {@code saga.sweepIntervalMs} it looks for unfinished sagas past their
 * deadline (an event lost with a crashed broker, a service that never answered) and settles them with commands,
 * each through the breaker of the service it goes to. A saga whose order is paid goes forward (ship, mark shipped);
 * any other is compensated: the order is cancelled unless it got paid meanwhile ({@code onlyPending}), the payment
 * called off (refunded, or closed so a late charge is refused), every line released and closed. Every command is
 * idempotent; a saga whose commands failed is tried again with backoff on a later sweep, until its record, kept by
 * the projection from the resulting events, shows it finished.
 */
final class DeadlineSweeper {

  private static final Logger log = LoggerFactory.getLogger(DeadlineSweeper.class);

  private final Vertx vertx;
  private final SagaStore sagas;
  private final BreakerRegistry breakers;
  private final CommandBus commands;
  private final long stepTimeoutMs;
  private final long intervalMs;
  private final Backoff backoff;
  private final Set<String> busy = new HashSet<>();
  private final Map<String, Retry> retries = new HashMap<>();
  private long timer = -1;
  private boolean sweeping;

  private record Retry(int attempts, long notBeforeMs) {
  }

  DeadlineSweeper(Vertx vertx, SagaStore sagas, BreakerRegistry breakers, CommandBus commands, long stepTimeoutMs,
                  long intervalMs, Backoff backoff) {
    this.vertx = vertx;
    this.sagas = sagas;
    this.breakers = breakers;
    this.commands = commands;
    this.stepTimeoutMs = stepTimeoutMs;
    this.intervalMs = intervalMs;
    this.backoff = backoff;
  }

  /** Starts sweeping on the calling context. */
  void start() {
    timer = vertx.setPeriodic(intervalMs, t -> sweep());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    sagas.unfinished()
        .onComplete(found -> sweeping = false)
        .onSuccess(this::settleOverdue)
        .onFailure(err -> log.warn("deadline sweep could not read the sagas: {}", err.getMessage()));
  }

  private void settleOverdue(List<SagaState> unfinished) {
    Instant now = Instant.now();
    long nowMs = now.toEpochMilli();
    Set<String> still = new HashSet<>();
    for (SagaState saga : unfinished) {
      still.add(saga.id());
      Retry retry = retries.get(saga.id());
      if (!now.isAfter(saga.deadline()) || busy.contains(saga.id()) || retry != null && retry.notBeforeMs() > nowMs) {
        continue;
      }
      busy.add(saga.id());
      settle(saga).onComplete(ar -> {
        busy.remove(saga.id());
        int attempts = retry == null ? 1 : retry.attempts() + 1;
        if (ar.failed()) {
          log.warn("saga {} past its deadline not settled yet (attempt {}): {}", saga.id(), attempts, ar.cause().getMessage());
        }
        // settled or not, its record shows the outcome later: wait before sending the commands again
        retries.put(saga.id(), new Retry(attempts, System.currentTimeMillis() + backoff.delayMs(attempts)));
      });
    }
    retries.keySet().retainAll(still);
  }

  private Future<Void> settle(SagaState saga) {
    if (saga.status() == SagaStatus.RUNNING && ChoreographedSagas.ended(saga, OrderSagas.MARK_PAID, SagaEntry.DONE)) {
      return shipPaid(saga);
    }
    String reason = saga.reason() != null ? saga.reason()
        : "saga deadline passed before step " + (saga.step() == null ? OrderSagas.RESERVE_INVENTORY : saga.step());
    log.info("saga {} past its deadline: compensating ({})", saga.id(), reason);
    return send(saga, "order", ServiceAddresses.ORDER, "cancel", new JsonObject().put("reason", reason).put("onlyPending", true))
        .map(true)
        .recover(err -> CommandEndpoint.classify(err).failure() == CommandFailure.CONFLICT
            ? Future.succeededFuture(false)   // paid or shipped meanwhile: it goes forward instead
            : Future.failedFuture(err))
        .compose(cancelled -> cancelled ? undoAfterCancel(saga, reason) : Future.succeededFuture());
  }

  private Future<Void> undoAfterCancel(SagaState saga, String reason) {
    Future<Void> payment = ChoreographedSagas.ended(saga, OrderSagas.PROCESS_PAYMENT, SagaEntry.FAILED)
        ? Future.succeededFuture()   // declined: nothing was charged and nothing will be
        : send(saga, "payment", ServiceAddresses.PAYMENT, "callOff", new JsonObject().put("reason", reason)).mapEmpty();
    return payment.compose(v -> {
      Future<Void> chain = Future.succeededFuture();
      for (String sku : ChoreographedSagas.skus(saga)) {
        chain = chain.compose(done -> send(saga, "inventory", ServiceAddresses.INVENTORY, "release",
            new JsonObject().put("sku", sku).put("reason", reason).put("close", true)).mapEmpty());
      }
      return chain;
    });
  }

  private Future<Void> shipPaid(SagaState saga) {
    log.info("saga {} past its deadline with its order paid: shipping it", saga.id());
    return send(saga, "shipping", ServiceAddresses.SHIPPING, "create",
            new JsonObject().put("address", saga.data().getJsonObject("address").copy()))
        .compose(created -> send(saga, "order", ServiceAddresses.ORDER, "markShipped",
            new JsonObject().put("shipmentId", created.getString("shipmentId"))))
        .mapEmpty();
  }

  private Future<JsonObject> send(SagaState saga, String service, String address, String action, JsonObject body) {
    body.put("orderId", saga.orderId()).put("sagaId", saga.id()).put("correlationId", saga.id());
    return breakers.call(service, () -> commands.request(address, action, body, stepTimeoutMs));
  }
}
