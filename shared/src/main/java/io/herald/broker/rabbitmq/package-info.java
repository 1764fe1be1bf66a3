/**
 * The RabbitMQ adapter, {@link io.herald.broker.rabbitmq.RabbitMqBroker}, on the Java AMQP 0-9-1 client.
 *
 * <p><b>Mapping</b> (everything prefixed by the {@code namespace} option, {@code events} in production):
 * <ul>
 *   <li>events are published to the durable topic exchange {@code events} with routing key = event type
 *       ({@code order.created}), persistent, with publisher confirms;</li>
 *   <li>a consumer group is the durable queue {@code events.<group>}, declared with
 *       {@code x-single-active-consumer: true} (one member consumes at a time, in queue order; the others stand by
 *       and take over when it leaves, which is how competing members keep each stream in order) and bound by its type
 *       patterns translated to topic bindings ({@code order.*} → {@code order.#}, {@code *} → {@code #}; members filter
 *       exactly on receipt and ack what their patterns do not match);</li>
 *   <li>manual acks, {@code basic.qos} prefetch per member, per-stream ordered dispatch and local redelivery after a
 *       nack through {@link io.herald.broker.lanes.StreamLanes};</li>
 *   <li>dead letters: {@link io.herald.broker.Delivery#deadLetter} publishes the original body and properties, plus the
 *       headers {@code herald-dead-letter-reason}, {@code -attempts}, {@code -group} and {@code -origin} (the queue),
 *       to the direct exchange {@code events.dlx} with routing key = group, confirmed, then acks the original; the
 *       queue {@code events.<group>.dlq} collects them. The group's queue also names {@code events.dlx} as its
 *       {@code x-dead-letter-exchange} (routing key = group), for what RabbitMQ dead-letters itself.</li>
 * </ul>
 *
 * <p><b>CloudEvents binding</b>: the AMQP protocol binding. Binary mode (default): the attributes are message headers
 * (AMQP application properties) {@code cloudEvents:specversion}, {@code cloudEvents:id}, {@code cloudEvents:source},
 * {@code cloudEvents:type}, {@code cloudEvents:time}, {@code cloudEvents:subject}, {@code cloudEvents:dataschema}
 * (when set) and the extensions {@code cloudEvents:aggregatetype}, {@code cloudEvents:sequence},
 * {@code cloudEvents:correlationid}, {@code cloudEvents:causationid}, {@code cloudEvents:schemaversion},
 * {@code cloudEvents:traceparent}, {@code cloudEvents:position}, {@code cloudEvents:streamid}; content-type
 * {@code application/json}; body = the event data. Structured mode ({@code binding: structured}): body = the
 * CloudEvents JSON format, content-type {@code application/cloudevents+json}. Either way {@code message-id} is the
 * event id. Readers accept both modes and the {@code cloudEvents_} header prefix some clients use; a message that is
 * not an event is delivered with {@link io.herald.broker.Delivery#decodeFailure()} saying why.
 *
 * <p><b>Outages</b>: the broker reconnects by itself with exponential backoff, declares everything again, and every
 * member consumes again; unconfirmed publishes fail (the relay retries them) and unacked deliveries are requeued by
 * RabbitMQ.
 */
package io.herald.broker.rabbitmq;
