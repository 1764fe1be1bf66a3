package io.herald.event;

/** A document that is not a valid CloudEvent: names the attribute at fault. */
public final class CloudEventFormatException extends EventSchemaException {

  private final String attribute;

  public CloudEventFormatException(String attribute, String reason) {
    super(attribute.isEmpty() ? "invalid CloudEvent: " + reason : "invalid CloudEvent attribute '" + attribute + "': " + reason);
    this.attribute = attribute;
  }

  public String attribute() {
    return attribute;
  }
}
