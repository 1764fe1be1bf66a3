/**
 * Idempotency keys: a retried request replays the first request's result instead of running again, in memory
 * or shared by every process on PostgreSQL. A request whose outcome is unknown keeps its key claimed until the
 * outcome is known or the claim goes stale; {@link io.herald.idempotency.IdempotentIds} derives an entity's id from
 * the key, so a command that does run twice creates the entity once.
 */
package io.herald.idempotency;
