package io.herald.gateway.auth;

import io.herald.gateway.ProblemException;

/** A 401 or 403 with the {@code WWW-Authenticate} challenge that tells the client what to send. */
public final class AccessDenied extends ProblemException {

  private final String challenge;

  AccessDenied(int status, String detail, String challenge) {
    super(status, detail);
    this.challenge = challenge;
  }

  /** @return the {@code WWW-Authenticate} header value */
  public String challenge() {
    return challenge;
  }
}
