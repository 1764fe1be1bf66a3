package io.herald.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Ids derived from an Idempotency-Key")
class IdempotentIdsTest {

  @Test
  @DisplayName("the same key in the same scope always gives the same id, a name-based UUID after the prefix")
  void deterministic() {
    String first = IdempotentIds.derive("ord-", "POST /api/orders user u-1", "key-1");
    String again = IdempotentIds.derive("ord-", "POST /api/orders user u-1", "key-1");

    assertThat(again).isEqualTo(first);
    assertThat(first).startsWith("ord-");
    assertThat(UUID.fromString(first.substring(4)).version()).isEqualTo(3);
    // fixed across releases: a retry reaching a newer node must find the order an older one created
    assertThat(first).isEqualTo("ord-" + UUID.nameUUIDFromBytes("herald.idempotency:25:POST /api/orders user u-1:key-1"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  @DisplayName("another key, another scope or another caller gives another id")
  void distinct() {
    String id = IdempotentIds.derive("ord-", "POST /api/orders user u-1", "key-1");

    assertThat(IdempotentIds.derive("ord-", "POST /api/orders user u-1", "key-2")).isNotEqualTo(id);
    assertThat(IdempotentIds.derive("ord-", "POST /api/orders user u-2", "key-1")).isNotEqualTo(id);
    assertThat(IdempotentIds.derive("ord-", "a:", "b")).isNotEqualTo(IdempotentIds.derive("ord-", "a", ":b"));
  }
}
