package io.herald.launcher;

/** The node cannot start. The message is one line naming the cause, printed without a stack trace. */
public final class StartupException extends RuntimeException {

  public StartupException(String message) {
    super(message, null, false, false);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
