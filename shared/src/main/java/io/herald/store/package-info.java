/**
 * The event store: atomic appends with optimistic concurrency, per-stream and global reads, gap-safe
 * catch-up-then-live subscriptions and snapshots, in memory ({@code memory}) or on PostgreSQL ({@code pg}).
 */
package io.herald.store;
