package io.herald.gateway.auth;

/**
 * A 401 or 403 with the {@code WWW-Authenticate} challenge that tells the client what to send; the gateway answers it
 * as a problem.
 */
public final class AccessDenied extends RuntimeException {

  private final int status;
  private final String challenge;

  AccessDenied(int status, String detail, String challenge) {
    super(detail, null, false, false);
    this.status = status;
    this.challenge = challenge;
  }

  /** @return 401 or 403 */
  public int status() {
    return status;
  }

  /** @return the {@code WWW-Authenticate} header value */
  public String challenge() {
    return challenge;
  }
}
