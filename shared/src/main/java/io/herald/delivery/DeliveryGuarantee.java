package io.herald.delivery;

import java.util.Locale;

/** What a consumer group promises about each event it receives (see DESIGN "Delivery guarantees"). */
public enum DeliveryGuarantee {
  /** Acked before handling: a crash or a failure loses the event (a failure is still kept as a dead letter). */
  AT_MOST_ONCE,
  /** Acked after the handler's future succeeded: retried, redelivered after a crash, so handlers must be idempotent. */
  AT_LEAST_ONCE,
  /** At least once, plus an {@link Inbox} written in the transaction of the handler's effect: the effect happens once. */
  EFFECTIVELY_ONCE;

  /** @return the config spelling: {@code at-most-once}, {@code at-least-once}, {@code effectively-once} */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** @throws IllegalArgumentException naming the accepted values */
  public static DeliveryGuarantee fromConfig(String value) {
    for (DeliveryGuarantee g : values()) {
      if (g.configName().equals(value)) {
        return g;
      }
    }
    throw new IllegalArgumentException("unknown delivery guarantee '" + value
        + "' (expected at-most-once, at-least-once or effectively-once)");
  }
}
