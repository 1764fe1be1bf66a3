package io.herald.gateway.auth;

import io.herald.gateway.ProblemException;

/** A 429 for a caller past its write rate, with the {@code Retry-After} it should wait. */
public final class RateLimited extends ProblemException {

  private final long retryAfterSeconds;

  RateLimited(String detail, long retryAfterSeconds) {
    super(429, detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
