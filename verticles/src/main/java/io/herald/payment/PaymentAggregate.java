package io.herald.payment;

import io.herald.aggregate.Aggregate;
import io.herald.aggregate.CommandRejectedException;
import io.herald.aggregate.Loaded;
import io.herald.event.DomainEvent;
import io.herald.event.domain.PaymentFailed;
import io.herald.event.domain.PaymentProcessed;
import io.herald.event.domain.PaymentRefunded;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;

/**
 * The payment of one order, id {@code pay-<orderId>}: charged at most once whatever the number of attempts, then
 * possibly refunded once. A declined attempt is stored and may be followed by another.
 */
public final class PaymentAggregate implements Aggregate<PaymentState> {

  /** The test card that is always charged. */
  public static final String TOKEN_VISA = "tok_visa";
  /** The test card that is always declined with "card declined". */
  public static final String TOKEN_DECLINE = "tok_decline";
  /** The test card that is charged, but only after {@code payment.slowDelayMs}. */
  public static final String TOKEN_SLOW = "tok_slow";

  public static String paymentId(String orderId) {
    return "pay-" + orderId;
  }

  @Override
  public String type() {
    return "payment";
  }

  @Override
  public PaymentState initial() {
    return PaymentState.NONE;
  }

  @Override
  public PaymentState apply(PaymentState state, DomainEvent event) {
    if (event instanceof PaymentProcessed p) {
      return new PaymentState(PaymentState.Status.CHARGED, p.orderId(), p.amount(), null, state.attempts() + 1);
    }
    if (event instanceof PaymentFailed f) {
      return new PaymentState(PaymentState.Status.FAILED, f.orderId(), f.amount(), f.reason(), state.attempts() + 1);
    }
    if (event instanceof PaymentRefunded r) {
      return new PaymentState(PaymentState.Status.REFUNDED, r.orderId(), state.amount(), r.reason(), state.attempts());
    }
    throw new IllegalArgumentException("the payment aggregate has no rule for " + event.getClass().getSimpleName());
  }

  @Override
  public String snapshotType() {
    return "payment-v1";
  }

  @Override
  public JsonObject toSnapshot(PaymentState s) {
    return new JsonObject().put("status", s.status().name()).put("orderId", s.orderId())
        .put("amount", s.amount().toPlainString()).put("reason", s.reason()).put("attempts", s.attempts());
  }

  @Override
  public PaymentState fromSnapshot(JsonObject j) {
    return new PaymentState(PaymentState.Status.valueOf(j.getString("status")), j.getString("orderId"),
        new BigDecimal(j.getString("amount")), j.getString("reason"), j.getInteger("attempts"));
  }

  /**
   * Charges the card behind {@code token}. An order already charged gets no second charge (no events: the caller
   * answers with the existing payment); a refunded one is refused.
   */
  public static List<DomainEvent> charge(Loaded<PaymentState> payment, String orderId, BigDecimal amount, String token) {
    PaymentState s = payment.state();
    switch (s.status()) {
      case CHARGED -> {
        if (s.amount().compareTo(amount) != 0) {
          throw new CommandRejectedException(payment.id(), "order " + orderId + " was already charged "
              + s.amount().toPlainString() + ", not " + amount.toPlainString());
        }
        return List.of();
      }
      case REFUNDED -> throw new CommandRejectedException(payment.id(), "the payment of order " + orderId + " was refunded");
      default -> {
      }
    }
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("amount: must be positive, was " + amount.toPlainString());
    }
    String declined = switch (token) {
      case TOKEN_VISA, TOKEN_SLOW -> null;
      case TOKEN_DECLINE -> "card declined";
      case "" -> "no payment token on order " + orderId;
      default -> "payment token '" + token + "' is not accepted";
    };
    return declined == null
        ? List.of(new PaymentProcessed(payment.id(), orderId, amount))
        : List.of(new PaymentFailed(payment.id(), orderId, amount, declined));
  }

  /**
   * Calls off the payment of an order whose saga compensates: a charge is refunded; a payment not charged (yet) is
   * closed with a refund of nothing, so that a charge still on its way (a slow card) is refused when it arrives.
   * A second call changes nothing.
   */
  public static List<DomainEvent> callOff(Loaded<PaymentState> payment, String orderId, String reason) {
    return switch (payment.state().status()) {
      case CHARGED -> List.of(new PaymentRefunded(payment.id(), orderId, payment.state().amount(), reason));
      case REFUNDED -> List.of();
      default -> List.of(new PaymentRefunded(payment.id(), orderId, BigDecimal.ZERO, reason));
    };
  }

  /** Refunds a charged payment; a second refund changes nothing, and there is nothing to refund without a charge. */
  public static List<DomainEvent> refund(Loaded<PaymentState> payment, String orderId, String reason) {
    return switch (payment.state().status()) {
      case CHARGED -> List.of(new PaymentRefunded(payment.id(), orderId, payment.state().amount(), reason));
      case REFUNDED -> List.of();
      default -> throw new CommandRejectedException(payment.id(), "order " + orderId + " has no charge to refund");
    };
  }
}
