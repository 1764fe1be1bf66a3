package io.herald.gateway.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a token lets its bearer do, carried in the token's space-separated {@code scope} claim. Each operation needs
 * exactly one; none implies another.
 */
public enum Scope {
  /** queries, event reads and the live feeds */
  READ,
  /** commands: register, order, pay, ship, cancel, stock */
  WRITE,
  /** dead letters, projection rebuilds, circuit breakers, readiness detail */
  ADMIN;

  /** @return the name used in tokens, the contract and on the command line ({@code read}) */
  public String claimName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the unknown scope and the known ones */
  public static Scope of(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (Scope scope : values()) {
      if (scope.claimName().equals(wanted)) {
        return scope;
      }
    }
    throw new IllegalArgumentException("unknown scope '" + name.trim() + "' (known: " + known() + ")");
  }

  /** @return the scopes of a comma- or space-separated list; fails on an unknown one or an empty list */
  public static Set<Scope> parseList(String list) {
    Set<Scope> scopes = new LinkedHashSet<>();
    for (String part : list.split("[,\\s]+")) {
      if (!part.isBlank()) {
        scopes.add(of(part));
      }
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("no scope given (known: " + known() + ")");
    }
    return scopes;
  }

  /** The scopes a {@code scope} claim grants; names this node does not know are ignored. */
  static Set<Scope> fromClaim(String claim) {
    Set<Scope> granted = EnumSet.noneOf(Scope.class);
    if (claim == null) {
      return granted;
    }
    for (String part : claim.trim().split("\\s+")) {
      Arrays.stream(values()).filter(s -> s.claimName().equals(part)).forEach(granted::add);
    }
    return granted;
  }

  static String claim(Set<Scope> scopes) {
    return scopes.stream().map(Scope::claimName).collect(Collectors.joining(" "));
  }

  static String known() {
    return String.join(", ", List.of(values()).stream().map(Scope::claimName).toList());
  }
}
