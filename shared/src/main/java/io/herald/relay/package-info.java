/**
 * The relay: the only publisher, from the event store to a {@link io.herald.broker.MessageBroker}.
 *
 * <ul>
 *   <li>{@link io.herald.relay.EventRelay} reads the store's global order from a checkpoint and publishes exactly what
 *       was stored, one confirmed event after another, so there is no dual write and a restart resumes where the last
 *       confirmed event was. {@link io.herald.relay.PublishListener} hears each confirmed event;
 *       {@link io.herald.relay.RefusedEventHandler} sets aside an event the broker refuses for good.</li>
 *   <li>{@link io.herald.relay.LeasedRelay} runs the relay only while this node holds the
 *       relay lease, a {@link io.herald.lease.RoleLease} ({@link io.herald.lease.pg.PgRoleLease} on PostgreSQL).</li>
 * </ul>
 *
 * <p>Depends on the store, the broker SPI and the lease, never the other way round.
 */
package io.herald.relay;
