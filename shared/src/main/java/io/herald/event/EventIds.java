package io.herald.event;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids as version 7 UUIDs (RFC 9562): 48 bits of Unix time in milliseconds, then 74 random bits. Ids made
 * later sort later, so the store's unique index on event ids grows at its right edge instead of at random pages.
 */
public final class EventIds {

  private EventIds() {
  }

  /** @return a new time-ordered UUID */
  public static UUID next() {
    return at(System.currentTimeMillis());
  }

  static UUID at(long unixMillis) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (unixMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long least = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(most, least);
  }
}
