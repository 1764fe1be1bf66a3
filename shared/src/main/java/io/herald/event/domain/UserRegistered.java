package io.herald.event.domain;

import io.herald.event.DomainEvent;
import io.herald.event.EventType;

@EventType(value = "user.registered", aggregate = "user")
public record UserRegistered(String userId, String email, String username) implements DomainEvent {
  @Override
  public String aggregateId() {
    return userId;
  }
}
