package io.herald.broker.eventbus;

import static io.herald.options.JsonOptions.requirePositive;

import io.herald.options.JsonOptions;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Settings of the event-bus broker, read from the {@code broker.eventbus} config section.
 *
 * @param address              event-bus address the events are published on; default {@value #DEFAULT_ADDRESS}
 * @param localOnly            publish and consume on this node only, even when Vert.x is clustered; default
 *                             {@value #DEFAULT_LOCAL_ONLY}
 * @param maxUnackedPerGroup   most events a consumer group may hold that it has not acked yet (queued, in flight or
 *                             waiting for redelivery), in events; a publish that would exceed it fails with
 *                             {@link io.herald.broker.BrokerCapacityException}; default {@value #DEFAULT_MAX_UNACKED_PER_GROUP}
 * @param maxInFlightPerMember most unsettled deliveries one subscription has at a time (its prefetch), in events;
 *                             default {@value #DEFAULT_MAX_IN_FLIGHT_PER_MEMBER}
 * @param redeliveryBaseMs     delay before the first redelivery of a nacked event (at most), in milliseconds; it
 *                             doubles on each further nack of the same event; default {@value #DEFAULT_REDELIVERY_BASE_MS}
 * @param redeliveryCapMs      largest redelivery delay, in milliseconds; default {@value #DEFAULT_REDELIVERY_CAP_MS}
 * @param handBackTimeoutMs    how long a member that leaves its group waits for its running handlers (their acks
 *                             still count) before it hands their messages back, so that a stream's next message never
 *                             starts on the next member beside its previous one; in milliseconds; default
 *                             {@value #DEFAULT_HAND_BACK_TIMEOUT_MS}
 */
public record EventBusBrokerOptions(String address, boolean localOnly, int maxUnackedPerGroup, int maxInFlightPerMember,
                                    long redeliveryBaseMs, long redeliveryCapMs,
                                    long handBackTimeoutMs) {

  public static final String DEFAULT_ADDRESS = "herald.broker.events";
  public static final boolean DEFAULT_LOCAL_ONLY = false;
  public static final int DEFAULT_MAX_UNACKED_PER_GROUP = 10_000;
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_MEMBER = 32;
  public static final long DEFAULT_REDELIVERY_BASE_MS = 100;
  public static final long DEFAULT_REDELIVERY_CAP_MS = 10_000;
  public static final long DEFAULT_HAND_BACK_TIMEOUT_MS = 30_000;

  public EventBusBrokerOptions {
    Objects.requireNonNull(address, "address");
    if (address.isBlank()) {
      throw new IllegalArgumentException("broker.eventbus.address must not be blank");
    }
    requirePositive("broker.eventbus.maxUnackedPerGroup", maxUnackedPerGroup);
    requirePositive("broker.eventbus.maxInFlightPerMember", maxInFlightPerMember);
    requirePositive("broker.eventbus.redeliveryBaseMs", redeliveryBaseMs);
    if (redeliveryCapMs < redeliveryBaseMs) {
      throw new IllegalArgumentException("broker.eventbus.redeliveryCapMs (" + redeliveryCapMs
          + ") must be >= redeliveryBaseMs (" + redeliveryBaseMs + ")");
    }
    requirePositive("broker.eventbus.handBackTimeoutMs", handBackTimeoutMs);
  }

  public static EventBusBrokerOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code broker.eventbus} section; absent keys take their defaults. */
  public static EventBusBrokerOptions fromJson(JsonObject json) {
    JsonOptions in = JsonOptions.of(json, "broker.eventbus.");
    return new EventBusBrokerOptions(
        in.string("address", DEFAULT_ADDRESS),
        in.bool("localOnly", DEFAULT_LOCAL_ONLY),
        in.integer("maxUnackedPerGroup", DEFAULT_MAX_UNACKED_PER_GROUP),
        in.integer("maxInFlightPerMember", DEFAULT_MAX_IN_FLIGHT_PER_MEMBER),
        in.number("redeliveryBaseMs", DEFAULT_REDELIVERY_BASE_MS),
        in.number("redeliveryCapMs", DEFAULT_REDELIVERY_CAP_MS),
        in.number("handBackTimeoutMs", DEFAULT_HAND_BACK_TIMEOUT_MS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("address", address).put("localOnly", localOnly)
        .put("maxUnackedPerGroup", maxUnackedPerGroup).put("maxInFlightPerMember", maxInFlightPerMember)
        .put("redeliveryBaseMs", redeliveryBaseMs).put("redeliveryCapMs", redeliveryCapMs)
        .put("handBackTimeoutMs", handBackTimeoutMs);
  }
}
