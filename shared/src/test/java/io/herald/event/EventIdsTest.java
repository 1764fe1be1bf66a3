package io.herald.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Event ids")
class EventIdsTest {

  @Test
  @DisplayName("are version 7, RFC 9562 variant UUIDs carrying their creation millisecond")
  void versionSeven() {
    UUID id = EventIds.at(1_764_000_000_123L);

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(1_764_000_000_123L);
  }

  @Test
  @DisplayName("made in a later millisecond sort after earlier ones, and do not repeat")
  void orderedAndUnique() {
    UUID earlier = EventIds.at(1_000L);
    UUID later = EventIds.at(1_001L);
    Set<UUID> many = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      many.add(EventIds.next());
    }

    assertThat(Long.compareUnsigned(later.getMostSignificantBits(), earlier.getMostSignificantBits())).isPositive();
    assertThat(many).hasSize(100_000);
  }
}
