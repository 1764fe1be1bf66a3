package io.herald.command;

import io.vertx.core.json.JsonObject;

/** Reads the fields of a command or query body, refusing a missing one with a message that names it. */
public final class Fields {

  private Fields() {
  }

  /**
   * @return the field's text
   * @throws CommandFailedException {@link CommandFailure#INVALID}, naming the field, when it is missing, blank or not a string
   */
  public static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw CommandFailedException.invalid(field + ": required, a non-empty string");
    }
    return text;
  }
}
