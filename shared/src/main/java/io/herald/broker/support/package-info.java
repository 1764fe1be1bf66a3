/**
 * What the adapters share beside the SPI, so that an adapter writes only what its broker needs: the broker's skeleton
 * ({@link io.herald.broker.support.AbstractBroker}: lifecycle through {@link io.herald.broker.support.BrokerState},
 * subscribe checks, members, {@link io.herald.broker.support.GroupSubscription}, close), a member with lanes of its own
 * ({@link io.herald.broker.support.LaneMember}), and for the brokers that run one active member per group
 * ({@link io.herald.broker.support.ActiveMember}) the lease ({@link io.herald.broker.support.LeaseKeeper} over an
 * {@link io.herald.broker.support.ActiveMemberLease}). Messages go through {@link io.herald.broker.lanes}, each one a
 * {@link io.herald.broker.lanes.MemberMessage}; a client library's futures come back through
 * {@link io.herald.broker.support.ClientFutures}.
 */
package io.herald.broker.support;
