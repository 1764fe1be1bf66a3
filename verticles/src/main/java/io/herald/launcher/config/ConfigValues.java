package io.herald.launcher.config;

import io.herald.options.JsonOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Typed reads of dotted keys from a nested config object. Values that came from environment variables or
 * system properties are strings, so numbers and booleans are also accepted in their string form; the reading itself is
 * {@link JsonOptions}', the value reader behind every options class's schema. Every failure is a
 * {@link ConfigException} naming the key and the offending value.
 */
final class ConfigValues {

  private final JsonObject root;

  ConfigValues(JsonObject root) {
    this.root = root;
  }

  /** @return the value at a dotted key, or {@code null} when it is absent */
  Object raw(String key) {
    JsonObject node = root;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = node.getValue(parts[i]);
      if (!(next instanceof JsonObject child)) {
        return null;
      }
      node = child;
    }
    return node.getValue(parts[parts.length - 1]);
  }

  boolean has(String key) {
    return raw(key) != null;
  }

  String string(String key, String defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof JsonObject || value instanceof JsonArray) {
      throw mustBe(key, "a string", value);
    }
    return value.toString();
  }

  String nonBlankString(String key, String defaultValue) {
    String value = string(key, defaultValue);
    if (value.isBlank()) {
      throw new ConfigException("config key '" + key + "' must not be empty");
    }
    return value.trim();
  }

  /** {@code true} or {@code false}, as a YAML boolean or a string (an environment variable). */
  boolean bool(String key, boolean defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return read(key).bool(leaf(key), defaultValue);
    } catch (IllegalArgumentException e) {
      throw mustBe(key, "true or false", value);
    }
  }

  int integer(String key, int defaultValue, int min, int max) {
    long value = longValue(key, defaultValue, min, max, "an integer");
    return (int) value;
  }

  long longValue(String key, long defaultValue, long min, long max) {
    return longValue(key, defaultValue, min, max, "an integer");
  }

  private long longValue(String key, long defaultValue, long min, long max, String what) {
    Object value = raw(key);
    long result;
    try {
      result = value == null ? defaultValue : read(key).number(leaf(key), defaultValue);
    } catch (IllegalArgumentException e) {
      throw mustBe(key, what, value);
    }
    if (result < min || result > max) {
      throw new ConfigException("config key '" + key + "' must be between " + min + " and " + max + ", got " + result);
    }
    return result;
  }

  /** Enum constants are spelled in lower case in config files ({@code POSTGRES} is {@code postgres}). */
  <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    String text = value.toString().trim().toLowerCase(Locale.ROOT);
    for (E candidate : type.getEnumConstants()) {
      if (configName(candidate).equals(text)) {
        return candidate;
      }
    }
    String allowed = Arrays.stream(type.getEnumConstants()).map(ConfigValues::configName).collect(Collectors.joining(", "));
    throw new ConfigException("config key '" + key + "' must be one of " + allowed + ", got '" + value + "'");
  }

  /** A list given either as a YAML sequence or as a comma-separated string. */
  List<String> list(String key, List<String> defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return read(key).strings(leaf(key), defaultValue).stream().filter(s -> !s.isEmpty()).distinct().toList();
    } catch (IllegalArgumentException e) {
      throw mustBe(key, "a list of names", value);
    }
  }

  // the section holding a dotted key, read as an options class reads its own
  private JsonOptions read(String key) {
    int dot = key.lastIndexOf('.');
    JsonObject section = root;
    if (dot > 0 && raw(key.substring(0, dot)) instanceof JsonObject parent) {
      section = parent;
    }
    return JsonOptions.of(section, dot > 0 ? key.substring(0, dot + 1) : "");
  }

  private static String leaf(String key) {
    return key.substring(key.lastIndexOf('.') + 1);
  }

  private static ConfigException mustBe(String key, String what, Object value) {
    String shown = value instanceof String ? "'" + value + "'" : String.valueOf(value);
    return new ConfigException("config key '" + key + "' must be " + what + ", got " + shown);
  }

  static String configName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
