package io.herald.gateway.auth;

/** A token this node does not accept, with the reason a client can act on (never the token itself). */
public final class InvalidTokenException extends RuntimeException {

  public InvalidTokenException(String reason) {
    super(reason, null, false, false);
  }
}
