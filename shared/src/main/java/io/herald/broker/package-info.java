/**
 * The broker SPI: how events reach subscribers. {@link io.herald.relay} publishes into it.
 *
 * <ul>
 *   <li>{@link io.herald.broker.MessageBroker} is the broker SPI every adapter implements: publish with
 *       confirmation, subscribe as a named consumer group filtered by {@link io.herald.broker.TypePatterns},
 *       settle each {@link io.herald.broker.Delivery} with ack or nack (nack = deliver again later).</li>
 *   <li>{@link io.herald.broker.EventConsumers} is what services consume with: a handler returning a future,
 *       acked when it succeeds and nacked when it fails.</li>
 * </ul>
 *
 * <p>Guarantees, for every adapter: each consumer group receives every matching event published after it was
 * created at least once; events of one stream reach a group in publish order; a nacked event is delivered again
 * before any later event of its stream. Duplicates are possible (a retried publish, a redelivery after a crash),
 * so handlers deduplicate by event id where it matters. Failures are typed: {@link io.herald.broker.BrokerUnavailableException},
 * {@link io.herald.broker.BrokerCapacityException}, both subclasses of {@link io.herald.broker.BrokerException}.
 * Futures complete on the caller's context; nothing here blocks an event loop.
 */
package io.herald.broker;
