package io.herald.saga;

/**
 * Settings of a {@link SagaEngine}.
 *
 * @param deadlineMs                how long a saga may move forward, in milliseconds; past it, it compensates unless
 *                                  it is past its point of no return. Waits on a busy service push it back
 * @param compensationRetryBaseMs   first delay before a failed compensation, a failed save, a busy call or a step
 *                                  past the point of no return is tried again, in milliseconds; doubles with jitter
 * @param compensationRetryCapMs    longest delay between two tries, in milliseconds
 * @param maxRunning                most sagas moving at once in one engine; more wait their turn, and the wait does
 *                                  not use up their deadline. It keeps a burst (all the sagas a restart resumes, a
 *                                  flash sale) from queueing so many calls at each service that they time out
 */
public record SagaOptions(long deadlineMs, long compensationRetryBaseMs, long compensationRetryCapMs, int maxRunning) {

  /** The default of {@code saga.maxRunning}. */
  public static final int DEFAULT_MAX_RUNNING = 200;

  public SagaOptions {
    if (deadlineMs < 1 || compensationRetryBaseMs < 1 || compensationRetryCapMs < compensationRetryBaseMs || maxRunning < 1) {
      throw new IllegalArgumentException("saga options out of range: " + this);
    }
  }

  public SagaOptions(long deadlineMs, long compensationRetryBaseMs, long compensationRetryCapMs) {
    this(deadlineMs, compensationRetryBaseMs, compensationRetryCapMs, DEFAULT_MAX_RUNNING);
  }
}
