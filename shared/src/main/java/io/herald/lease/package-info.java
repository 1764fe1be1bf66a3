/**
 * Singleton roles: work that must run in one process at a time across every process sharing a store (the relay,
 * the saga starter, the deadline sweeper, each projection writer of a PostgreSQL read model).
 *
 * <ul>
 *   <li>{@link io.herald.lease.RoleLease}: who holds a role, with a fencing epoch raised by every acquisition;
 *       {@link io.herald.lease.pg.PgRoleLease} is a PostgreSQL session advisory lock on a connection of its own, so
 *       it frees as soon as the holding process dies and survives a split of the cluster membership.</li>
 *   <li>{@link io.herald.lease.LeasedRole} runs a {@link io.herald.lease.LeasedRole.Duty} only while its lease is
 *       held, stops it when the lease is lost and competes again.</li>
 *   <li>{@link io.herald.lease.pg.RoleHolders} reads who holds each role now, for readiness reports.</li>
 * </ul>
 *
 * <p>A leaf: it depends on nothing else in Herald.
 */
package io.herald.lease;
