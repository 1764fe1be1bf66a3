package io.herald.saga;

import java.util.Locale;

/** Where a saga is: moving forward, undoing, or finished one way or the other (never both). */
public enum SagaStatus {
  RUNNING, COMPENSATING, COMPLETED, COMPENSATED;

  /** @return whether the saga has reached an end and will not move again */
  public boolean finished() {
    return this == COMPLETED || this == COMPENSATED;
  }

  /** @return the spelling used in JSON and on the API ({@code running}, ...) */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the value when it is not a status */
  public static SagaStatus fromApiName(String name) {
    for (SagaStatus status : values()) {
      if (status.apiName().equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown saga status '" + name + "'");
  }
}
