package io.herald.launcher.config;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Gives a config section's values the types of its defaults. Values from environment variables and system
 * properties arrive as text ({@code HERALD_BROKER_KAFKA_PARTITIONS=8}); a library's options reader expects the number.
 */
final class SectionTypes {

  private SectionTypes() {
  }

  /**
   * @param prefix   the section's key, for messages ({@code broker.kafka})
   * @param section  the section as configured
   * @param defaults the section's defaults, whose value types the result takes
   * @throws ConfigException naming the key whose text is not a number or a boolean where one is expected
   */
  static JsonObject coerce(String prefix, JsonObject section, JsonObject defaults) {
    JsonObject typed = new JsonObject();
    section.forEach(entry -> {
      Object value = entry.getValue();
      Object shape = defaults.getValue(entry.getKey());
      if (value instanceof String text && shape instanceof Number) {
        try {
          value = shape instanceof Double || shape instanceof Float ? Double.parseDouble(text.trim()) : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
          throw new ConfigException("config key '" + prefix + "." + entry.getKey() + "' must be a number, got '" + text + "'");
        }
      } else if (value instanceof String text && shape instanceof Boolean) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
          throw new ConfigException("config key '" + prefix + "." + entry.getKey() + "' must be true or false, got '" + text + "'");
        }
        value = Boolean.parseBoolean(t);
      } else if (shape instanceof String && value != null && !(value instanceof String) && !(value instanceof JsonObject)) {
        value = String.valueOf(value);
      }
      typed.put(entry.getKey(), value);
    });
    return typed;
  }
}
