package io.herald.gateway.auth;

/** A 429 for a caller past its write rate, with the {@code Retry-After} it should wait; the gateway answers it as a problem. */
public final class RateLimited extends RuntimeException {

  private final long retryAfterSeconds;

  RateLimited(String detail, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
