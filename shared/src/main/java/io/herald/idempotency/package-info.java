/**
 * Idempotency keys: a retried request replays the first request's result instead of running again, in memory
 * or shared by every process on PostgreSQL.
 */
package io.herald.idempotency;
