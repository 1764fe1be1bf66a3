package io.herald.idempotency;

import io.vertx.core.json.JsonObject;

/** What {@link IdempotencyStore#claim} found for a key. */
public sealed interface Claim {

  /** The key is new: run the request, then {@link IdempotencyStore#complete} or {@link IdempotencyStore#release}. */
  record Acquired() implements Claim {
  }

  /** The same request ran before: answer with its stored result instead of running it again. */
  record Replay(JsonObject result) implements Claim {
  }

  /** The same request is running right now (a concurrent retry): ask the client to retry later. */
  record InProgress() implements Claim {
  }

  /** The key was used for a different request: refuse it rather than answer with another request's result. */
  record Mismatch() implements Claim {
  }
}
