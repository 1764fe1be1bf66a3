package io.herald.broker;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A set of CloudEvents type patterns, the filter of a consumer group. A pattern is a type name in which
 * {@code *} stands for any run of characters, dots included: {@code order.*} matches {@code order.created}
 * (and {@code order.item.added}), {@code *.failed} matches {@code payment.failed}, and {@code *} alone matches
 * every type. Everything else matches literally. A type matches the set when it matches any of its patterns.
 *
 * <p>Patterns contain no comma and no whitespace, so a set can be written as one comma-separated config value.
 * Adapters whose native filters mean something else (RabbitMQ's {@code *} is one word) must subscribe
 * broadly enough and filter with {@link #matches(String)} on receipt. Immutable and thread-safe.
 */
public final class TypePatterns {

  /** The pattern that matches every type. */
  public static final String ANY = "*";

  private final List<String> patterns;
  private final Set<String> distinct;
  private final boolean any;

  private TypePatterns(List<String> patterns) {
    this.patterns = patterns;
    this.distinct = Set.copyOf(patterns);
    this.any = distinct.contains(ANY);
  }

  /**
   * @param patterns one or more patterns
   * @throws IllegalArgumentException when the list is empty or a pattern is blank or contains a comma or whitespace
   */
  public static TypePatterns of(List<String> patterns) {
    if (patterns == null || patterns.isEmpty()) {
      throw new IllegalArgumentException("at least one type pattern is required");
    }
    for (String p : patterns) {
      validate(p);
    }
    return new TypePatterns(List.copyOf(patterns));
  }

  /** @see #of(List) */
  public static TypePatterns of(String... patterns) {
    return of(patterns == null ? null : List.of(patterns));
  }

  /** @return whether {@code type} matches at least one pattern */
  public boolean matches(String type) {
    if (any) {
      return true;
    }
    for (String p : patterns) {
      if (matches(p, type)) {
        return true;
      }
    }
    return false;
  }

  /** @return the patterns, in the order given */
  public List<String> patterns() {
    return patterns;
  }

  /**
   * Matches one pattern against one type name.
   *
   * @param pattern a pattern, {@code *} being the only wildcard
   * @param type    a type name
   * @return whether the whole type name matches the whole pattern
   */
  public static boolean matches(String pattern, String type) {
    Objects.requireNonNull(pattern, "pattern");
    if (type == null) {
      return false;
    }
    // greedy glob with one backtrack point: linear for the usual single-star patterns
    int p = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < type.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = t;
      } else if (p < pattern.length() && pattern.charAt(p) == type.charAt(t)) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static void validate(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("a type pattern must not be empty");
    }
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == ',' || Character.isWhitespace(c)) {
        throw new IllegalArgumentException("type pattern '" + pattern + "' must not contain commas or whitespace");
      }
    }
  }

  /** Two sets are equal when they hold the same patterns, in any order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TypePatterns other && distinct.equals(other.distinct);
  }

  @Override
  public int hashCode() {
    return distinct.hashCode();
  }

  @Override
  public String toString() {
    return String.join(",", patterns);
  }
}
