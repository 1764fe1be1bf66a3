package io.herald.launcher;

/** The command line cannot be parsed; the message is one line naming the offending argument. */
public final class UsageException extends RuntimeException {

  public UsageException(String message) {
    super(message, null, false, false);
  }
}
