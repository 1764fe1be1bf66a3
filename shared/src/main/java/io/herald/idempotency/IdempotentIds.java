package io.herald.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Ids derived from an {@code Idempotency-Key}: the same key in the same scope always names the same entity, so a
 * command run twice for one key (a retry after an unknown outcome, a stale claim taken over) targets one stream,
 * and the store's expected-version check refuses the second creation.
 */
public final class IdempotentIds {

  private IdempotentIds() {
  }

  /**
   * @param prefix what the id starts with, e.g. {@code ord-}
   * @param scope  what the key applies to: the route and the caller, so two callers' equal keys never meet
   * @param key    the client's key
   * @return {@code prefix} followed by a name-based UUID of scope and key
   */
  public static String derive(String prefix, String scope, String key) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(key, "key");
    // length-prefixed, so ("a\nb", "c") and ("a", "b\nc") cannot name the same id
    String name = "herald.idempotency:" + scope.length() + ':' + scope + ':' + key;
    return prefix + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }
}
