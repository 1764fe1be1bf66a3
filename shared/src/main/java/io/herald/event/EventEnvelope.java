package io.herald.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A domain event wrapped in CloudEvents 1.0 attributes. Attribute names follow the specification:
 * {@code id, source, type, specversion, time, subject, datacontenttype, dataschema}, and the extensions
 * {@code aggregatetype, sequence, correlationid, causationid, schemaversion, traceparent}.
 *
 * <p>Immutable, so the event bus hands the same instance to local consumers without copying.
 *
 * @param id            unique event id; the store rejects a second event with the same id
 * @param source        the service that produced the event, e.g. {@code /herald/order}
 * @param type          the registered event type name, e.g. {@code order.created}
 * @param time          when the event happened
 * @param subject       the aggregate id
 * @param dataschema    optional URI of the data's schema, or {@code null}
 * @param aggregatetype the aggregate type, e.g. {@code order}
 * @param sequence      the aggregate version this event gives its stream; assigned on append, 0 before
 * @param correlationid id shared by every event of one business flow
 * @param causationid   id of the event or command that caused this one, or {@code null}
 * @param schemaversion the schema version of {@code data}
 * @param traceparent   W3C trace context, or {@code null}
 * @param data          the domain event record
 */
public record EventEnvelope(
    UUID id,
    String source,
    String type,
    Instant time,
    String subject,
    String dataschema,
    String aggregatetype,
    long sequence,
    String correlationid,
    String causationid,
    int schemaversion,
    String traceparent,
    DomainEvent data) {

  public static final String SPEC_VERSION = "1.0";
  public static final String DATA_CONTENT_TYPE = "application/json";

  public EventEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(aggregatetype, "aggregatetype");
    Objects.requireNonNull(correlationid, "correlationid");
    Objects.requireNonNull(data, "data");
  }

  public String specversion() {
    return SPEC_VERSION;
  }

  public String datacontenttype() {
    return DATA_CONTENT_TYPE;
  }

  /** @return a copy carrying the stream version assigned by the store */
  public EventEnvelope withSequence(long newSequence) {
    return new EventEnvelope(id, source, type, time, subject, dataschema, aggregatetype, newSequence,
        correlationid, causationid, schemaversion, traceparent, data);
  }

  /** @return a copy that belongs to the flow of {@code cause}: same correlation id, caused by it */
  public EventEnvelope causedBy(EventEnvelope cause) {
    return new EventEnvelope(id, source, type, time, subject, dataschema, aggregatetype, sequence,
        cause.correlationid(), cause.id().toString(), schemaversion, traceparent == null ? cause.traceparent() : traceparent, data);
  }

  /** @return a copy with an explicit correlation and causation id (for commands arriving from outside) */
  public EventEnvelope withCorrelation(String correlation, String causation) {
    return new EventEnvelope(id, source, type, time, subject, dataschema, aggregatetype, sequence,
        correlation, causation, schemaversion, traceparent, data);
  }

  /** @return a copy carrying a W3C {@code traceparent} */
  public EventEnvelope withTraceparent(String newTraceparent) {
    return new EventEnvelope(id, source, type, time, subject, dataschema, aggregatetype, sequence,
        correlationid, causationid, schemaversion, newTraceparent, data);
  }

  /** @return the data as the given record type */
  public <T extends DomainEvent> T data(Class<T> recordClass) {
    return recordClass.cast(data);
  }
}
