package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;

@EventType(value = "email.sent", aggregate = "email")
public record EmailSent(String emailId, String to, String subject, String template, String correlatedEventId)
    implements DomainEvent {
  @Override
  public String aggregateId() {
    return emailId;
  }
}
