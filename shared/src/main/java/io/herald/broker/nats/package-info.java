/**
 * The NATS JetStream broker adapter, {@link io.herald.broker.nats.NatsBroker}, on the official jnats client bridged
 * onto Vert.x contexts.
 *
 * <p><b>Mapping</b> (namespace {@code events}): one file-backed stream {@code EVENTS} on {@code events.>}; an event
 * of type {@code order.created} is published on {@code events.order.created} and confirmed by JetStream's PubAck;
 * {@code publishAll} pipelines the publishes and confirms them in order. A consumer group is a durable pull
 * consumer named like the group (explicit acks, deliver policy "new", filter subject from its type patterns, e.g.
 * {@code order.*} → {@code events.order.>}); one member per group is active at a time, elected by a lease in the
 * key-value bucket {@code EVENTS_LEASES}, and feeds the shared {@link io.herald.broker.lanes.StreamLanes} (per-stream
 * order, local redelivery after a nack). Dead letters go to the stream {@code EVENTS_DEAD} on
 * {@code events_dead.<group>} (not under {@code events.>}: JetStream refuses overlapping stream subjects).
 *
 * <p><b>CloudEvents binding</b>: structured mode. The message data is the CloudEvent as JSON
 * ({@link io.herald.broker.StructuredCloudEvents}, with the {@code position} and {@code streamid} extensions), header
 * {@code Content-Type: application/cloudevents+json}, header {@code Nats-Msg-Id} = the event id (the server drops a
 * repeated publish within the duplicate window). Any NATS client reads it with any CloudEvents JSON parser.
 */
package io.herald.broker.nats;
