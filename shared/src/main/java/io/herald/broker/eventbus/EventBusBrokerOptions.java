package io.herald.broker.eventbus;

import static io.herald.options.Rule.notBlank;
import static io.herald.options.Rule.positive;

import io.herald.options.OptionsSchema;
import io.vertx.core.json.JsonObject;

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

  private static final OptionsSchema<EventBusBrokerOptions> SCHEMA = OptionsSchema.of(EventBusBrokerOptions.class,
          "broker.eventbus")
      .key("address", DEFAULT_ADDRESS, notBlank())
      .key("localOnly", DEFAULT_LOCAL_ONLY)
      .key("maxUnackedPerGroup", DEFAULT_MAX_UNACKED_PER_GROUP, positive())
      .key("maxInFlightPerMember", DEFAULT_MAX_IN_FLIGHT_PER_MEMBER, positive())
      .key("redeliveryBaseMs", DEFAULT_REDELIVERY_BASE_MS, positive())
      .key("redeliveryCapMs", DEFAULT_REDELIVERY_CAP_MS)
      .key("handBackTimeoutMs", DEFAULT_HAND_BACK_TIMEOUT_MS, positive())
      .require("redeliveryCapMs", ">=", "redeliveryBaseMs")
      .build();

  public EventBusBrokerOptions {
    SCHEMA.check(address, localOnly, maxUnackedPerGroup, maxInFlightPerMember, redeliveryBaseMs, redeliveryCapMs,
        handBackTimeoutMs);
  }

  public static EventBusBrokerOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code broker.eventbus} section; absent keys take their defaults. */
  public static EventBusBrokerOptions fromJson(JsonObject json) {
    return SCHEMA.read(json);
  }

  public JsonObject toJson() {
    return SCHEMA.write(this);
  }
}
