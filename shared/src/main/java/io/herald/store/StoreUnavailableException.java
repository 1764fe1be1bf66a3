package io.herald.store;

/** The store could not be reached or did not answer; the operation may be retried. */
public final class StoreUnavailableException extends EventStoreException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
