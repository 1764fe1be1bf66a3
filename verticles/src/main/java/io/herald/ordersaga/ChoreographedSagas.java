package io.herald.ordersaga;

import io.herald.event.DomainEvent;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.InventoryOrderReserved;
import io.herald.event.domain.InventoryReleased;
import io.herald.event.domain.InventoryReservationFailed;
import io.herald.event.domain.InventoryReserved;
import io.herald.event.domain.OrderCancelled;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.OrderShipped;
import io.herald.event.domain.PaymentFailed;
import io.herald.event.domain.PaymentProcessed;
import io.herald.event.domain.PaymentRefunded;
import io.herald.event.domain.ShipmentCreated;
import io.herald.saga.SagaEntry;
import io.herald.saga.SagaState;
import io.herald.saga.SagaStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The record of a choreographed order saga, told by the events of its order: the same {@link SagaState} an
 * orchestrated saga keeps (the same step names, compensations named by the step they undo, a reason), derived
 * from facts instead of written by an orchestrator.
 *
 * <ul>
 *   <li>forward: {@code order.created} (createOrder), {@code inventory.order-reserved} (reserveInventory),
 *       {@code payment.processed} (processPayment), {@code order.paid} (markPaid), {@code shipment.created}
 *       (createShipment), {@code order.shipped} (markShipped: completed);</li>
 *   <li>failures: {@code inventory.reservation-failed} and {@code payment.failed} fail their step and turn the saga
 *       to compensation with their reason, as does an {@code order.cancelled} of a running saga;</li>
 *   <li>compensations: {@code order.cancelled} (createOrder), the last unit held given back by
 *       {@code inventory.released} (reserveInventory), a charge refunded (processPayment).</li>
 * </ul>
 * A compensating saga is compensated once its order is cancelled, no unit is held for it, no charge remains, and,
 * when its payment could have started, the payment is settled (declined, refunded or called off), so no charge can
 * still land. A finished saga keeps its status. Each saga keeps the position of the last event it applied, so an
 * event applied again after a restart changes nothing.
 */
final class ChoreographedSagas {

  static final List<String> STEPS = List.of(OrderSagas.CREATE_ORDER, OrderSagas.RESERVE_INVENTORY, OrderSagas.PROCESS_PAYMENT,
      OrderSagas.MARK_PAID, OrderSagas.CREATE_SHIPMENT, OrderSagas.MARK_SHIPPED);

  private static final String POSITION = "position";
  private static final String HELD = "held";
  private static final String CHARGED = "charged";
  private static final String REFUNDED = "refunded";
  private static final String SETTLED = "paymentSettled";
  private static final String CANCELLED = "cancelled";

  private ChoreographedSagas() {
  }

  /** @return the order an event belongs to, or {@code null} for an event no order saga follows */
  static String orderIdOf(DomainEvent data) {
    if (data instanceof OrderCreated e) {
      return e.orderId();
    } else if (data instanceof OrderPaid e) {
      return e.orderId();
    } else if (data instanceof OrderShipped e) {
      return e.orderId();
    } else if (data instanceof OrderCancelled e) {
      return e.orderId();
    } else if (data instanceof InventoryReserved e) {
      return e.orderId();
    } else if (data instanceof InventoryReleased e) {
      return e.orderId();
    } else if (data instanceof InventoryReservationFailed e) {
      return e.orderId();
    } else if (data instanceof InventoryOrderReserved e) {
      return e.orderId();
    } else if (data instanceof PaymentProcessed e) {
      return e.orderId();
    } else if (data instanceof PaymentFailed e) {
      return e.orderId();
    } else if (data instanceof PaymentRefunded e) {
      return e.orderId();
    } else if (data instanceof ShipmentCreated e) {
      return e.orderId();
    }
    return null;
  }

  /**
   * @param saga the order's saga as recorded so far, or {@code null} when none is
   * @return the saga after the event, or {@code null} when the event changes nothing
   */
  static SagaState apply(SagaState saga, RecordedEvent event, long deadlineMs) {
    DomainEvent data = event.data();
    Instant at = event.envelope().time();
    if (data instanceof OrderCreated order) {
      if (saga != null) {
        return null;
      }
      SagaState started = OrderSagas.started(event, order, deadlineMs).running(OrderSagas.RESERVE_INVENTORY, at);
      return withData(started, started.data().copy().put(POSITION, event.position()).put(HELD, new JsonObject()));
    }
    if (saga == null || saga.data().getLong(POSITION, 0L) >= event.position()) {
      return null;
    }
    Record r = new Record(saga, event.position(), at);
    if (data instanceof InventoryReserved reserved) {
      r.data.getJsonObject(HELD).put(reserved.sku(), reserved.quantity());
    } else if (data instanceof InventoryReleased released) {
      if (released.quantity() > 0 && r.data.getJsonObject(HELD).remove(released.sku()) != null
          && r.data.getJsonObject(HELD).isEmpty() && r.status != SagaStatus.RUNNING) {
        r.compensated(OrderSagas.RESERVE_INVENTORY);
      }
    } else if (data instanceof InventoryReservationFailed failed) {
      r.failed(OrderSagas.RESERVE_INVENTORY, failed.reason());
    } else if (data instanceof InventoryOrderReserved) {
      r.done(OrderSagas.RESERVE_INVENTORY, OrderSagas.PROCESS_PAYMENT);
    } else if (data instanceof PaymentProcessed paid) {
      r.data.put(CHARGED, paid.amount().toPlainString());
      r.done(OrderSagas.PROCESS_PAYMENT, OrderSagas.MARK_PAID);
    } else if (data instanceof PaymentFailed failed) {
      r.data.put(SETTLED, true);
      r.failed(OrderSagas.PROCESS_PAYMENT, failed.reason());
    } else if (data instanceof PaymentRefunded refunded) {
      r.data.put(SETTLED, true);
      if (refunded.amount().signum() > 0) {
        r.data.put(REFUNDED, true);
        r.compensated(OrderSagas.PROCESS_PAYMENT);
      }
    } else if (data instanceof OrderPaid) {
      r.done(OrderSagas.MARK_PAID, OrderSagas.CREATE_SHIPMENT);
    } else if (data instanceof ShipmentCreated) {
      r.done(OrderSagas.CREATE_SHIPMENT, OrderSagas.MARK_SHIPPED);
    } else if (data instanceof OrderShipped) {
      r.done(OrderSagas.MARK_SHIPPED, null);
      if (!r.status.finished()) {
        r.status = SagaStatus.COMPLETED;
        r.step = null;
      }
    } else if (data instanceof OrderCancelled cancelled) {
      r.data.put(CANCELLED, true);
      r.compensating(cancelled.reason());
      r.compensated(OrderSagas.CREATE_ORDER);
    } else {
      return null;
    }
    if (r.status == SagaStatus.COMPENSATING && undone(r.data, r.history)) {
      r.status = SagaStatus.COMPENSATED;
    }
    return r.toState();
  }

  /** Whether nothing of the saga is left in effect: order cancelled, no unit held, no charge kept or still possible. */
  private static boolean undone(JsonObject data, List<SagaEntry> history) {
    boolean paymentMayStart = history.stream().anyMatch(e -> e.step().equals(OrderSagas.RESERVE_INVENTORY)
        && SagaEntry.DONE.equals(e.outcome()));
    boolean chargeKept = data.getString(CHARGED) != null && !data.getBoolean(REFUNDED, false);
    return data.getBoolean(CANCELLED, false)
        && data.getJsonObject(HELD).isEmpty()
        && !chargeKept
        && (!paymentMayStart || data.getBoolean(SETTLED, false));
  }

  /** @return whether a step ended with this outcome */
  static boolean ended(SagaState saga, String step, String outcome) {
    return saga.history().stream().anyMatch(e -> e.step().equals(step) && e.outcome().equals(outcome));
  }

  /** @return the SKUs of the saga's order */
  static List<String> skus(SagaState saga) {
    return saga.data().getJsonArray("lines").stream().map(l -> ((JsonObject) l).getString("sku")).toList();
  }

  private static SagaState withData(SagaState s, JsonObject data) {
    return new SagaState(s.id(), s.orderId(), s.step(), s.status(), s.attempts(), s.deadline(), s.history(), s.compensations(),
        s.reason(), data, s.startedAt(), s.updatedAt());
  }

  /** A saga being changed by one event. */
  private static final class Record {
    private final SagaState saga;
    private final Instant at;
    private final JsonObject data;
    private final List<SagaEntry> history;
    private final List<SagaEntry> compensations;
    private SagaStatus status;
    private String step;
    private int attempts;
    private String reason;

    Record(SagaState saga, long position, Instant at) {
      this.saga = saga;
      this.at = at;
      this.data = saga.data().copy().put(POSITION, position);
      this.history = new ArrayList<>(saga.history());
      this.compensations = new ArrayList<>(saga.compensations());
      this.status = saga.status();
      this.step = saga.step();
      this.attempts = saga.attempts();
      this.reason = saga.reason();
    }

    void done(String name, String next) {
      if (history.stream().noneMatch(e -> e.step().equals(name) && SagaEntry.DONE.equals(e.outcome()))) {
        history.add(new SagaEntry(name, SagaEntry.DONE, at, null));
      }
      if (status == SagaStatus.RUNNING && next != null) {
        attempts = next.equals(step) ? attempts : 1;
        step = next;
      }
    }

    void failed(String name, String why) {
      if (history.stream().noneMatch(e -> e.step().equals(name))) {
        history.add(new SagaEntry(name, SagaEntry.FAILED, at, why));
      }
      compensating(why);
    }

    void compensating(String why) {
      if (status == SagaStatus.RUNNING) {
        status = SagaStatus.COMPENSATING;
        step = null;
        attempts = 0;
      }
      if (reason == null && !status.finished()) {
        reason = why;
      }
    }

    /** Records that a step was undone; compensations are listed in the order of undoing, the last step first. */
    void compensated(String name) {
      if (compensations.stream().anyMatch(e -> e.step().equals(name))) {
        return;
      }
      compensations.add(new SagaEntry(name, SagaEntry.DONE, at, null));
      compensations.sort(Comparator.comparingInt((SagaEntry e) -> STEPS.indexOf(e.step())).reversed());
    }

    SagaState toState() {
      return new SagaState(saga.id(), saga.orderId(), status.finished() ? null : step, status, status.finished() ? 0 : attempts,
          saga.deadline(), history, compensations, reason, data, saga.startedAt(), at);
    }
  }
}
