package io.herald.saga;

/**
 * Settings of a {@link SagaEngine}.
 *
 * @param deadlineMs                how long a saga may move forward, in milliseconds; past it, it compensates unless
 *                                  it is past its point of no return. Waits on a busy service push it back
 * @param compensationRetryBaseMs   first delay before a failed compensation, a failed save, a busy call or a step
 *                                  past the point of no return is tried again, in milliseconds; doubles with jitter
 * @param compensationRetryCapMs    longest delay between two tries, in milliseconds
 */
public record SagaOptions(long deadlineMs, long compensationRetryBaseMs, long compensationRetryCapMs) {

  public SagaOptions {
    if (deadlineMs < 1 || compensationRetryBaseMs < 1 || compensationRetryCapMs < compensationRetryBaseMs) {
      throw new IllegalArgumentException("saga options out of range: " + this);
    }
  }
}
