package io.herald.gateway.auth;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens this node verified lately, with their scopes, until they expire. A client sends the same token with every
 * request, and checking its signature and claims again each time was 3 % of the node's CPU under load. A token is
 * kept only once it verified, only until its own {@code exp}, and the node's keys do not change while it runs, so an
 * answer from here is the one a full check would give.
 */
final class VerifiedTokens {

  private record Verified(Set<Scope> scopes, long expiresAtMs) {
  }

  private final int capacity;
  private final ConcurrentHashMap<String, Verified> tokens = new ConcurrentHashMap<>();

  /** @param capacity most tokens kept; past it they are all forgotten at once, and verified again as they come */
  VerifiedTokens(int capacity) {
    this.capacity = capacity;
  }

  /** @return the scopes of {@code token} if it verified before and has not expired at {@code nowMs}, else null */
  Set<Scope> scopes(String token, long nowMs) {
    Verified known = tokens.get(token);
    if (known == null) {
      return null;
    }
    if (nowMs >= known.expiresAtMs()) {
      tokens.remove(token, known);
      return null;
    }
    return known.scopes();
  }

  /** Keeps a token that verified, until {@code expiresAtMs} (its {@code exp} claim, in milliseconds). */
  void put(String token, Set<Scope> scopes, long expiresAtMs) {
    if (tokens.size() >= capacity) {
      tokens.clear();
    }
    tokens.put(token, new Verified(Set.copyOf(scopes), expiresAtMs));
  }

  int size() {
    return tokens.size();
  }
}
