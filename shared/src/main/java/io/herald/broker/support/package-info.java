/**
 * What the adapters share beside the SPI: their lifecycle ({@link io.herald.broker.support.BrokerState}), the
 * subscription they return ({@link io.herald.broker.support.GroupSubscription}), and for the adapters that run one
 * active member per group, the lease ({@link io.herald.broker.support.LeaseKeeper} over an
 * {@link io.herald.broker.support.ActiveMemberLease}). An adapter of its own builds on these and on
 * {@link io.herald.broker.lanes}.
 */
package io.herald.broker.support;
