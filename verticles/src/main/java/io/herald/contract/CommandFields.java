package io.herald.contract;

/** Fields of command messages that the gateway fills in for a service, beside what the client sent. */
public final class CommandFields {

  /**
   * The client's {@code Idempotency-Key}: a service that creates an entity derives its id from it (and the caller),
   * so the entity is created once however often the request runs.
   */
  public static final String IDEMPOTENCY_KEY = "idempotencyKey";

  private CommandFields() {
  }
}
