package io.herald.options;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What one key of an {@link OptionsSchema} must satisfy. A broken rule throws an {@link IllegalArgumentException}
 * whose message starts with the full key, e.g. {@code broker.redis.leaseMs must be >= 300, was 5}.
 */
@FunctionalInterface
public interface Rule {

  /**
   * @param key   the full key, e.g. {@code broker.redis.leaseMs}, to start the message with
   * @param value the key's value, never null
   * @throws IllegalArgumentException when the value breaks the rule
   */
  void check(String key, Object value);

  /** A number of at least 1. */
  static Rule positive() {
    return atLeast(1);
  }

  static Rule atLeast(long min) {
    return (key, value) -> JsonOptions.requireAtLeast(key, number(key, value), min);
  }

  static Rule atMost(long max) {
    return (key, value) -> {
      if (number(key, value) > max) {
        throw new IllegalArgumentException(key + " must be <= " + max + ", was " + value);
      }
    };
  }

  static Rule between(long min, long max) {
    return (key, value) -> JsonOptions.requireRange(key, number(key, value), min, max);
  }

  /** Text that is not blank, or a list that is not empty and holds no blank entry. */
  static Rule notBlank() {
    return (key, value) -> {
      if (value instanceof List<?> list) {
        if (list.isEmpty()) {
          throw new IllegalArgumentException(key + " must not be empty");
        }
        if (list.stream().anyMatch(entry -> entry == null || entry.toString().isBlank())) {
          throw new IllegalArgumentException(key + " must not contain a blank entry");
        }
      } else {
        JsonOptions.requireText(key, value.toString());
      }
    };
  }

  /**
   * Text matching a regular expression as a whole.
   *
   * @param complaint what the message says after the key, e.g. {@code must be letters or digits}; the value follows
   */
  static Rule matches(String regex, String complaint) {
    Pattern pattern = Pattern.compile(regex);
    return (key, value) -> {
      if (!pattern.matcher(value.toString()).matches()) {
        throw new IllegalArgumentException(key + " " + complaint + ", was '" + value + "'");
      }
    };
  }

  /** Text starting with one of the prefixes, e.g. a URL's scheme. */
  static Rule startsWith(String... prefixes) {
    List<String> allowed = List.of(prefixes);
    return (key, value) -> {
      if (allowed.stream().noneMatch(value.toString()::startsWith)) {
        throw new IllegalArgumentException(key + " must start with " + JsonOptions.alternatives(allowed) + ", was '"
            + value + "'");
      }
    };
  }

  /** Text equal to one of the allowed values. */
  static Rule oneOf(String... allowed) {
    return (key, value) -> {
      if (!Arrays.asList(allowed).contains(value.toString())) {
        throw new IllegalArgumentException(key + " must be " + JsonOptions.alternatives(List.of(allowed)) + ", was '"
            + value + "'");
      }
    };
  }

  private static long number(String key, Object value) {
    if (!(value instanceof Number n)) {
      throw new IllegalStateException(key + " is not a number; its rule applies to numbers only");
    }
    return n.longValue();
  }
}
