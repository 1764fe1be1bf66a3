/**
 * The Redis Streams broker adapter, {@link io.herald.broker.redis.RedisBroker} (config section {@code broker.redis},
 * {@link io.herald.broker.redis.RedisBrokerOptions}).
 *
 * <p><b>Mapping.</b> One stream per aggregate type, {@code <namespace>.<aggregatetype>} ({@code events.order});
 * a publish is an XADD (optionally {@code MAXLEN ~ n}) confirmed by its reply, pipelined in batches on one
 * connection. Each Herald consumer group is a Redis consumer group {@code <namespace>.<group>} on every stream: the
 * set {@code <namespace>.streams} lists the aggregate types published so far, and the group's active member creates
 * the group on new streams as it finds them. Every stream's group starts just before the group's birth, the Redis
 * time of its first subscription (kept in the hash {@code <namespace>.groups}), so a group receives every event added
 * after it first subscribed, on old and new streams alike. One member per group reads (lease key
 * {@code <namespace>.lease.<group>}); it claims entries left pending (XAUTOCLAIM) before reading new ones, so a
 * stream's order survives members coming and going. Dead letters go to the stream {@code <namespace>.dead.<group>}.
 *
 * <p><b>CloudEvents binding.</b> Structured mode: each entry has the fields {@code type} (the CloudEvents type),
 * {@code stream} (the aggregate's stream id, the ordering key) and {@code event}, the whole event as a
 * {@code application/cloudevents+json} document: {@code specversion}, {@code id}, {@code source}, {@code type},
 * {@code time}, {@code subject}, {@code datacontenttype} ({@code application/json}), {@code dataschema} when set,
 * the extensions {@code aggregatetype}, {@code sequence}, {@code correlationid}, {@code causationid},
 * {@code schemaversion}, {@code traceparent}, {@code position}, {@code streamid}, and {@code data}. Anyone reads
 * them with {@code XRANGE events.order - +} or their own consumer group and any CloudEvents SDK. Dead letters are
 * the original fields plus {@code herald-dead-letter-reason}, {@code herald-dead-letter-attempts},
 * {@code herald-dead-letter-group} and {@code herald-dead-letter-origin} ({@code <stream> <entry id>}).
 */
package io.herald.broker.redis;
