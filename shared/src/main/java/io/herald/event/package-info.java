/**
 * Event schema: CloudEvents 1.0 envelopes around registered domain records, the event registry with upcasters,
 * the strict JSON mapping, the structured CloudEvents format and the event-bus codec.
 * Usable on its own: depends only on vertx-core and Jackson.
 */
package io.herald.event;
