package io.herald.command;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Sends commands and queries to services over the event bus (request/reply with a timeout). A service is an
 * address; the action travels in the {@value #ACTION} header. Failures come back as {@link CommandFailedException}:
 * the service's own failure, {@link CommandFailure#UNAVAILABLE} when nothing listens on the address, and
 * {@link CommandFailure#TIMEOUT} when no answer came in time.
 */
public final class CommandBus {

  /** The header naming the action a message asks for. */
  public static final String ACTION = "action";

  private final Vertx vertx;
  private final long timeoutMs;

  /** @param timeoutMs how long a request waits for its reply, in milliseconds */
  public CommandBus(Vertx vertx, long timeoutMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("timeoutMs must be >= 1, was " + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  /** Sends {@code action} with {@code body} to the service at {@code address} and waits for its reply. */
  public Future<JsonObject> request(String address, String action, JsonObject body) {
    return request(address, action, body, timeoutMs);
  }

  /** As {@link #request(String, String, JsonObject)} with its own timeout, in milliseconds. */
  public Future<JsonObject> request(String address, String action, JsonObject body, long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs).addHeader(ACTION, action);
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(Message::body)
        .recover(err -> Future.failedFuture(translate(address, action, timeoutMs, err)));
  }

  static Throwable translate(String address, String action, long timeoutMs, Throwable err) {
    if (!(err instanceof ReplyException reply)) {
      return err;
    }
    return switch (reply.failureType()) {
      case NO_HANDLERS -> new CommandFailedException(CommandFailure.UNAVAILABLE,
          "no service is listening on '" + address + "' (is it deployed?)", err);
      case TIMEOUT -> new CommandFailedException(CommandFailure.TIMEOUT,
          "'" + address + "' did not answer '" + action + "' within " + timeoutMs + " ms", err);
      default -> new CommandFailedException(CommandFailure.ofCode(reply.failureCode()), reply.getMessage(), err);
    };
  }
}
