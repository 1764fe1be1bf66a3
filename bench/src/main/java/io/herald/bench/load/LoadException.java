package io.herald.bench.load;

/** The load run cannot go on: setup failed or the node misbehaved. The message is one line for the user. */
final class LoadException extends RuntimeException {

  LoadException(String message) {
    super(message, null, false, false);
  }

  LoadException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
