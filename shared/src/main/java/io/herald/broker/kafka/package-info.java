/**
 * The Kafka adapter, {@link io.herald.broker.kafka.KafkaBroker}, configured by
 * {@link io.herald.broker.kafka.KafkaBrokerOptions} ({@code broker.kafka}).
 *
 * <p><b>Mapping.</b> One topic per aggregate type, {@code <namespace>.<aggregatetype>} (e.g. {@code events.order}),
 * created by the adapter with the configured partitions; the record key is the event's stream id, so a stream stays
 * in one partition and in order. A consumer group {@code <group>} is the Kafka group {@code <namespace>.<group>},
 * subscribed to the topics of the aggregate types that have a registered event type its patterns match; auto-commit
 * is off and each partition's committed offset is the one after its highest contiguous acked record. A new group
 * starts at the end of its topics. Dead letters go to {@code <topic>.DLT} with the original key, value and headers
 * plus {@code herald-dead-letter-reason}, {@code -attempts}, {@code -group} and {@code -origin}.
 *
 * <p><b>CloudEvents binding.</b> The Kafka protocol binding in binary content mode: each attribute is a header
 * {@code ce_<attribute>} with its value as UTF-8 text ({@code ce_specversion}, {@code ce_id}, {@code ce_source},
 * {@code ce_type}, {@code ce_time}, {@code ce_subject}, and the extensions {@code ce_aggregatetype},
 * {@code ce_sequence}, {@code ce_correlationid}, {@code ce_causationid}, {@code ce_schemaversion},
 * {@code ce_traceparent}, {@code ce_position}, {@code ce_streamid}), {@code content-type} is
 * {@code application/json}, and the record value is the event's data as JSON. Reading also accepts the structured
 * mode (a whole CloudEvent as the value, {@code content-type: application/cloudevents+json}).
 *
 * <p>Classes with one job each: {@link io.herald.broker.kafka.KafkaBinding} (the binding),
 * {@link io.herald.broker.kafka.KafkaTopics} (names and creation), {@link io.herald.broker.kafka.KafkaPublisher}
 * (the idempotent producer), {@link io.herald.broker.kafka.KafkaMember} (one consumer-group member feeding
 * {@link io.herald.broker.lanes.StreamLanes}), {@link io.herald.broker.kafka.AckedOffsets} (what may be committed),
 * {@link io.herald.broker.kafka.KafkaDeadLetters} (the {@code .DLT} writer).
 */
package io.herald.broker.kafka;
