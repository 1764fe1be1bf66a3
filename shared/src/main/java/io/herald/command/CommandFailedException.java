package io.herald.command;

import java.util.Objects;

/** A command or query that failed, with the kind of failure and a message naming the field or rule. */
public final class CommandFailedException extends RuntimeException {

  private final CommandFailure failure;

  public CommandFailedException(CommandFailure failure, String message) {
    super(message);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public CommandFailedException(CommandFailure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public CommandFailure failure() {
    return failure;
  }

  public static CommandFailedException invalid(String message) {
    return new CommandFailedException(CommandFailure.INVALID, message);
  }

  public static CommandFailedException notFound(String message) {
    return new CommandFailedException(CommandFailure.NOT_FOUND, message);
  }

  public static CommandFailedException conflict(String message) {
    return new CommandFailedException(CommandFailure.CONFLICT, message);
  }

  public static CommandFailedException busy(String message) {
    return new CommandFailedException(CommandFailure.BUSY, message);
  }
}
