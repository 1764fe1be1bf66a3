package io.herald.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;

@DisplayName("In-memory idempotency keys")
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Override
  protected IdempotencyStore store(long ttlMs, long staleMs) {
    return new InMemoryIdempotencyStore(ttlMs, staleMs, clock);
  }

  @Override
  protected void elapse(long ms) {
    now = now.plus(Duration.ofMillis(ms));
  }
}
