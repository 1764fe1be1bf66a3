package io.herald.options;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads one section of the configuration (e.g. {@code broker.redis}) for an options class: absent keys take their
 * default, a wrong value fails with an {@link IllegalArgumentException} naming the full key. Numbers may arrive as
 * text, because environment variables and {@code -D} overrides are text.
 */
public final class JsonOptions {

  private final JsonObject json;
  private final String prefix;

  private JsonOptions(JsonObject json, String prefix) {
    this.json = Objects.requireNonNull(json, "json");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** @param prefix the section's path with a trailing dot, e.g. {@code broker.redis.}, for error messages */
  public static JsonOptions of(JsonObject json, String prefix) {
    return new JsonOptions(json, prefix);
  }

  /** @return the raw value of {@code key}, or null when absent, for a value of its own shape */
  public Object value(String key) {
    return json.getValue(key);
  }

  public String string(String key, String fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(prefix + key + " must be a string, was " + value);
    }
    return s;
  }

  public long number(String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      if (n.doubleValue() != Math.rint(n.doubleValue())) {
        throw new IllegalArgumentException(prefix + key + " must be a whole number, was " + value);
      }
      return n.longValue();
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(prefix + key + " must be a whole number, was '" + s + "'");
      }
    }
    throw new IllegalArgumentException(prefix + key + " must be a whole number, was " + value);
  }

  public int integer(String key, int fallback) {
    long value = number(key, fallback);
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      throw new IllegalArgumentException(prefix + key + " is out of range, was " + value);
    }
    return (int) value;
  }

  public boolean bool(String key, boolean fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s.trim());
    }
    throw new IllegalArgumentException(prefix + key + " must be true or false, was " + value);
  }

  /**
   * A list given as a JSON array of plain values or as one comma-separated string (an environment variable); entries
   * are trimmed, blank ones kept for the caller to judge.
   */
  public List<String> strings(String key, List<String> fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (isPlain(value)) {
      return Arrays.stream(value.toString().split(",", -1)).map(String::trim).toList();
    }
    if (value instanceof JsonArray array && array.stream().allMatch(JsonOptions::isPlain)) {
      return array.stream().map(item -> item.toString().trim()).toList();
    }
    throw new IllegalArgumentException(prefix + key + " must be a list or a comma-separated string, was " + value);
  }

  /** One of an enum's constants, spelled in any case in config ({@code binary} for {@code BINARY}). */
  public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    for (E constant : type.getEnumConstants()) {
      if (value instanceof String s && constant.name().equalsIgnoreCase(s.trim())) {
        return constant;
      }
    }
    List<String> names = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    throw new IllegalArgumentException(prefix + key + " must be " + alternatives(names) + ", was '" + value + "'");
  }

  private static boolean isPlain(Object item) {
    return item instanceof String || item instanceof Number || item instanceof Boolean;
  }

  /** @return {@code a}, {@code a or b}, {@code a, b or c}: the allowed values in a message */
  static String alternatives(List<String> allowed) {
    int last = allowed.size() - 1;
    return last <= 0 ? String.join("", allowed)
        : String.join(", ", allowed.subList(0, last)) + " or " + allowed.get(last);
  }

  /** @param name the full key, e.g. {@code broker.redis.namespace} */
  public static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /** @param name the full key, e.g. {@code broker.redis.blockMs} */
  public static void requirePositive(String name, long value) {
    requireAtLeast(name, value, 1);
  }

  public static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
  }

  public static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + (max == Integer.MAX_VALUE || max == Long.MAX_VALUE
          ? ">= " + min : "between " + min + " and " + max) + ", was " + value);
    }
  }
}
