/**
 * The embedded default broker adapter, {@link io.herald.broker.eventbus.EventBusBroker}: consumer groups in this
 * process, fed through the Vert.x event bus with the {@code RecordedEvent} codec. Competing consumers within a
 * group, per-stream order, redelivery with backoff after a nack, a bounded number of unacked events per group
 * (a publish beyond it fails rather than dropping anything). Not durable: the event store and the relay's checkpoint
 * are what survive a restart. In a Vert.x cluster every node's groups receive each event; durable multi-node
 * delivery needs one of the real broker adapters.
 */
package io.herald.broker.eventbus;
