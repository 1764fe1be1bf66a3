package io.herald.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What operators do with dead letters: list them, redrive one (its consumer group handles it again, on whichever
 * node runs that group), or delete one.
 */
public final class DeadLetters {

  private static final String REDRIVE_ADDRESS = "herald.dead-letters.redrive.";

  private final Vertx vertx;
  private final DeadLetterStore store;
  private final long redriveTimeoutMs;

  /**
   * @param redriveTimeoutMs how long a redrive may take (the group's handler runs once), in milliseconds
   */
  public DeadLetters(Vertx vertx, DeadLetterStore store, long redriveTimeoutMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.redriveTimeoutMs = redriveTimeoutMs;
  }

  /** The event-bus address where the members of {@code group} take redrive requests. */
  static String redriveAddress(String group) {
    return REDRIVE_ADDRESS + group;
  }

  public DeadLetterStore store() {
    return store;
  }

  public Future<List<DeadLetter>> list(String consumer, long afterSeq, int limit) {
    return store.list(consumer, afterSeq, limit);
  }

  /**
   * Has the dead letter's consumer group handle it again; on success it is deleted.
   *
   * @return what was redriven ({@code id}, {@code eventId}, {@code position}); fails with
   *     {@link DeadLetterNotFoundException}, {@link RedriveFailedException} (it failed again and stays, with the new
   *     error), or {@link RedriveUnavailableException} (its group runs nowhere, or did not answer in time)
   */
  public Future<JsonObject> redrive(UUID id) {
    return store.get(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new DeadLetterNotFoundException(id));
      }
      String group = found.get().consumer();
      return vertx.eventBus().<JsonObject>request(redriveAddress(group), new JsonObject().put("id", id.toString()),
              new DeliveryOptions().setSendTimeout(redriveTimeoutMs))
          .map(reply -> reply.body())
          .recover(err -> Future.failedFuture(translate(err, id, group)));
    });
  }

  /** @return whether it existed */
  public Future<Boolean> delete(UUID id) {
    return store.delete(id);
  }

  private static Throwable translate(Throwable err, UUID id, String group) {
    if (!(err instanceof ReplyException reply)) {
      return err;
    }
    if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return new RedriveUnavailableException("consumer group '" + group + "' is not running on any node, so nothing can handle the dead letter");
    }
    if (reply.failureType() == ReplyFailure.TIMEOUT) {
      return new RedriveUnavailableException("consumer group '" + group + "' did not finish the redrive in time; the dead letter is kept");
    }
    return switch (reply.failureCode()) {
      case 404 -> new DeadLetterNotFoundException(id);   // redriven or deleted meanwhile
      case 422 -> new RedriveFailedException(reply.getMessage(), null);
      default -> new RedriveUnavailableException("consumer group '" + group + "' could not redrive: " + reply.getMessage());
    };
  }
}
