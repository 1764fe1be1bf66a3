package io.herald.command;

import io.herald.aggregate.AggregateBusyException;
import io.herald.aggregate.AggregateNotFoundException;
import io.herald.aggregate.CommandRejectedException;
import io.herald.event.EventDecodingException;
import io.herald.projection.ProjectionTimeoutException;
import io.herald.store.ConcurrencyConflictException;
import io.herald.store.DuplicateEventException;
import io.herald.store.EventTooLargeException;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of {@link CommandBus}: one address, one handler per action. A handler's failure is replied
 * with the {@link CommandFailure} that fits it, so callers see "order o-1 already paid" as a conflict and an
 * unknown id as not found, never as a timeout.
 *
 * <pre>{@code
 * CommandEndpoint.on(vertx, "herald.order")
 *     .action("create", this::create)
 *     .action("get", this::get)
 *     .listen();
 * }</pre>
 */
public final class CommandEndpoint {

  private static final Logger log = LoggerFactory.getLogger(CommandEndpoint.class);

  private final Vertx vertx;
  private final String address;
  private final Map<String, Function<JsonObject, Future<JsonObject>>> actions = new LinkedHashMap<>();

  private CommandEndpoint(Vertx vertx, String address) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.address = Objects.requireNonNull(address, "address");
  }

  public static CommandEndpoint on(Vertx vertx, String address) {
    return new CommandEndpoint(vertx, address);
  }

  /** Adds the handler of one action; it gets the message body and answers with the reply body. */
  public CommandEndpoint action(String name, Function<JsonObject, Future<JsonObject>> handler) {
    if (actions.putIfAbsent(Objects.requireNonNull(name, "name"), Objects.requireNonNull(handler, "handler")) != null) {
      throw new IllegalArgumentException("action '" + name + "' is registered twice on " + address);
    }
    return this;
  }

  /** Starts listening; undeploying the verticle that called this stops it. */
  public Future<MessageConsumer<JsonObject>> listen() {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address, this::handle);
    return consumer.completion().map(v -> consumer);
  }

  private void handle(Message<JsonObject> message) {
    String action = message.headers().get(CommandBus.ACTION);
    Function<JsonObject, Future<JsonObject>> handler = action == null ? null : actions.get(action);
    if (handler == null) {
      message.fail(CommandFailure.INVALID.code(), address + " has no action '" + action + "' (known: "
          + String.join(", ", actions.keySet()) + ")");
      return;
    }
    Future<JsonObject> result;
    try {
      result = handler.apply(message.body() == null ? new JsonObject() : message.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        CommandFailedException failure = classify(ar.cause());
        if (failure.failure() == CommandFailure.INTERNAL) {
          log.error("{} '{}' failed", address, action, ar.cause());
        }
        message.fail(failure.failure().code(), failure.getMessage());
      }
    });
  }

  /** Maps a handler's failure onto the failure code its caller sees. */
  public static CommandFailedException classify(Throwable err) {
    if (err instanceof CommandFailedException c) {
      return c;
    }
    if (err instanceof CommandRejectedException || err instanceof ConcurrencyConflictException
        || err instanceof DuplicateEventException) {
      return new CommandFailedException(CommandFailure.CONFLICT, err.getMessage(), err);
    }
    if (err instanceof AggregateBusyException) {
      return new CommandFailedException(CommandFailure.BUSY, err.getMessage(), err);
    }
    if (err instanceof EventTooLargeException) {
      return new CommandFailedException(CommandFailure.TOO_LARGE, err.getMessage(), err);
    }
    if (err instanceof AggregateNotFoundException) {
      return new CommandFailedException(CommandFailure.NOT_FOUND, err.getMessage(), err);
    }
    if (err instanceof IllegalArgumentException || err instanceof EventDecodingException) {
      return new CommandFailedException(CommandFailure.INVALID, err.getMessage(), err);
    }
    if (err instanceof StoreUnavailableException) {
      return new CommandFailedException(CommandFailure.UNAVAILABLE, "the event store is unavailable: " + err.getMessage(), err);
    }
    if (err instanceof ProjectionTimeoutException) {
      return new CommandFailedException(CommandFailure.TIMEOUT, err.getMessage(), err);
    }
    return new CommandFailedException(CommandFailure.INTERNAL, "internal error in the service; its log has the details", err);
  }
}
