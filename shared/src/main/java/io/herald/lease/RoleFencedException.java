package io.herald.lease;

/** A write of a role was refused: the epoch it carried is no longer the role's, another process holds the role now. */
public final class RoleFencedException extends RuntimeException {

  public RoleFencedException(String role, long epoch) {
    super("write refused: the lease on " + role + " is no longer held with epoch " + epoch
        + " (another process holds the role now)");
  }
}
