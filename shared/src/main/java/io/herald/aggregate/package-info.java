/**
 * Event-sourced aggregates: rebuilt from their events (and snapshots), commands decided on current state and
 * appended with optimistic concurrency, retried on fresh state when another writer was first.
 */
package io.herald.aggregate;
