package io.herald.event;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * Wraps domain records into envelopes for one producing service: fills id, time, type, aggregate type,
 * schema version and subject from the registry, and starts or continues a correlation.
 */
public final class EventFactory {

  private final EventRegistry registry;
  private final String source;
  private final Clock clock;

  public EventFactory(EventRegistry registry, String source) {
    this(registry, source, Clock.systemUTC());
  }

  public EventFactory(EventRegistry registry, String source, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public EventRegistry registry() {
    return registry;
  }

  /** Starts a new flow: the event's own id becomes its correlation id. */
  public EventEnvelope create(DomainEvent data) {
    UUID id = EventIds.next();
    return wrap(id, data, id.toString(), null, null);
  }

  /** Continues the flow of {@code cause}: same correlation id, causation id = the cause's id. */
  public EventEnvelope causedBy(EventEnvelope cause, DomainEvent data) {
    return wrap(EventIds.next(), data, cause.correlationid(), cause.id().toString(), cause.traceparent());
  }

  /** Creates an event for a command that arrived with its own correlation (and optionally causation) id. */
  public EventEnvelope correlated(String correlationId, String causationId, DomainEvent data) {
    UUID id = EventIds.next();
    return wrap(id, data, correlationId == null ? id.toString() : correlationId, causationId, null);
  }

  private EventEnvelope wrap(UUID id, DomainEvent data, String correlation, String causation, String traceparent) {
    Objects.requireNonNull(data, "data");
    EventRegistry.Registration reg = registry.byClass(data.getClass());
    String subject = Objects.requireNonNull(data.aggregateId(), () -> reg.type() + " has a null aggregateId()");
    // microseconds: the precision PostgreSQL keeps, so a stored event reads back equal
    return new EventEnvelope(id, source, reg.type(), clock.instant().truncatedTo(ChronoUnit.MICROS), subject, null, reg.aggregateType(), 0L,
        correlation, causation, reg.schemaVersion(), traceparent, data);
  }
}
