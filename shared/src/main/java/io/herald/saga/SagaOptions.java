package io.herald.saga;

/**
 * Settings of a {@link SagaEngine}.
 *
 * @param deadlineMs                how long a saga may move forward, in milliseconds; past it, it compensates
 * @param compensationRetryBaseMs   first delay before a failed compensation (or a failed save) is tried again, in
 *                                  milliseconds; doubles with jitter
 * @param compensationRetryCapMs    longest delay between two tries, in milliseconds
 */
public record SagaOptions(long deadlineMs, long compensationRetryBaseMs, long compensationRetryCapMs) {

  public SagaOptions {
    if (deadlineMs < 1 || compensationRetryBaseMs < 1 || compensationRetryCapMs < compensationRetryBaseMs) {
      throw new IllegalArgumentException("saga options out of range: " + this);
    }
  }
}
