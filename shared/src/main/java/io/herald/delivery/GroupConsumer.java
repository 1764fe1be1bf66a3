package io.herald.delivery;

import io.herald.async.Backoff;
import io.herald.broker.BrokerSubscription;
import io.herald.broker.Delivery;
import io.herald.broker.MessageBroker;
import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One member of a consumer group as {@link Consumers} runs it: the guarantee, the retries, the dead letters, and
 * the redrive endpoint of its group on the event bus.
 */
final class GroupConsumer {

  private static final Logger log = LoggerFactory.getLogger(GroupConsumer.class);

  /** MDC key of the correlation id of the event being handled. */
  static final String CORRELATION_ID = "correlationId";

  private final Vertx vertx;
  private final MessageBroker broker;
  private final DeadLetterStore deadLetters;
  private final RetryPolicy retry;
  private final Backoff backoff;
  private final String group;
  private final List<String> typePatterns;
  private final DeliveryGuarantee guarantee;
  private final Function<RecordedEvent, Future<Void>> handler;
  private final DeliveryListener listener;
  private final int maxMessageBytes;
  private final Map<Long, Delivery> waiting = new ConcurrentHashMap<>();   // by retry timer: between two tries
  private volatile boolean closed;
  private MessageConsumer<JsonObject> redrive;

  GroupConsumer(Vertx vertx, MessageBroker broker, DeadLetterStore deadLetters, RetryPolicy retry, String group,
                List<String> typePatterns, DeliveryGuarantee guarantee, Function<RecordedEvent, Future<Void>> handler,
                DeliveryListener listener, int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    this.vertx = vertx;
    this.broker = broker;
    this.deadLetters = deadLetters;
    this.retry = retry;
    this.backoff = retry.backoff();
    this.group = group;
    this.typePatterns = typePatterns;
    this.guarantee = guarantee;
    this.handler = handler;
    this.listener = listener;
  }

  Future<BrokerSubscription> start() {
    redrive = vertx.eventBus().consumer(DeadLetters.redriveAddress(group), this::redrive);
    return redrive.completion()
        .compose(registered -> broker.subscribe(group, typePatterns, this::deliver))
        .map(subscription -> (BrokerSubscription) new Subscription(subscription))
        .andThen(ar -> {
          if (ar.succeeded()) {
            listener.subscribed(group, typePatterns);
          }
        })
        .onFailure(err -> redrive.unregister());
  }

  private void deliver(Delivery delivery) {
    if (closed) {
      letGo(delivery, new IllegalStateException("consumer group '" + group + "' is closing"));
      return;
    }
    int size = delivery.message().payload().length();
    UndecodableMessageException unreadable = size > maxMessageBytes
        ? new UndecodableMessageException("message of " + size + " bytes is larger than the " + maxMessageBytes
            + " bytes a consumer takes (delivery.maxMessageBytes)", null)
        : delivery.decodeFailure();
    if (unreadable != null) {
      log.warn("group '{}' got a message that is not an event from {}: {}", group, delivery.message().destination(),
          unreadable.getMessage());
      giveUp(delivery, unreadable, 0, Instant.now());
      return;
    }
    if (guarantee == DeliveryGuarantee.AT_MOST_ONCE) {
      delivery.ack().onComplete(acked -> {
        if (acked.succeeded()) {
          Instant started = Instant.now();
          long startedNanos = System.nanoTime();
          apply(delivery.event())
              .onSuccess(v -> handled(delivery.event(), startedNanos))
              .onFailure(err -> keep(delivery, err, 1, started)
                  .onSuccess(kept -> deadLettered(delivery.event()))
                  .onFailure(e -> log.error("group '{}' lost position {} (at-most-once) and could not keep it as a dead letter: {}",
                      group, delivery.event().position(), e.getMessage())));
        }
      });
      return;
    }
    attempt(delivery, delivery.attempt(), null, System.nanoTime());
  }

  // runs the handler; on failure waits and tries again in place, so the stream waits and order holds
  private void attempt(Delivery delivery, int attempt, Instant firstFailure, long startedNanos) {
    if (closed) {
      letGo(delivery, new IllegalStateException("consumer group '" + group + "' is closing"));
      return;
    }
    apply(delivery.event()).onComplete(handled -> {
      if (handled.succeeded()) {
        delivery.ack()
            .onSuccess(acked -> handled(delivery.event(), startedNanos))
            .onFailure(err -> log.debug("group '{}' ack of position {} not recorded: {}", group,
                delivery.event().position(), err.getMessage()));
        return;
      }
      Instant first = firstFailure == null ? Instant.now() : firstFailure;
      Throwable cause = handled.cause();
      if (closed) {
        letGo(delivery, cause);
        return;
      }
      if (attempt >= retry.maxAttempts()) {
        log.error("group '{}' gives up on {} at position {} (stream {}) after {} attempts: {}", group,
            delivery.event().type(), delivery.event().position(), delivery.event().streamId(), attempt, cause.toString());
        giveUp(delivery, cause, attempt, first);
        return;
      }
      long delay = backoff.delayMs(attempt);
      log.warn("group '{}' failed {} at position {} (attempt {} of {}), retrying in {} ms: {}", group,
          delivery.event().type(), delivery.event().position(), attempt, retry.maxAttempts(), delay, cause.toString());
      long[] timer = new long[1];
      timer[0] = vertx.setTimer(delay, t -> {
        waiting.remove(timer[0]);
        attempt(delivery, attempt + 1, first, startedNanos);
      });
      waiting.put(timer[0], delivery);
    });
  }

  // the correlation id is in the MDC while the handler runs, so what it logs (JSON logs included) carries it
  private Future<Void> apply(RecordedEvent event) {
    MDC.put(CORRELATION_ID, String.valueOf(event.envelope().correlationid()));
    try {
      Future<Void> result = handler.apply(event);
      return result != null ? result
          : Future.failedFuture(new IllegalStateException("handler returned null instead of a future"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    } finally {
      MDC.remove(CORRELATION_ID);
    }
  }

  private void handled(RecordedEvent event, long startedNanos) {
    try {
      listener.handled(group, event, System.nanoTime() - startedNanos);
    } catch (RuntimeException e) {
      log.warn("group '{}': a delivery listener failed: {}", group, e.toString());
    }
  }

  private void deadLettered(RecordedEvent event) {
    try {
      listener.deadLettered(group, event == null ? null : event.type());
    } catch (RuntimeException e) {
      log.warn("group '{}': a delivery listener failed: {}", group, e.toString());
    }
  }

  // the dead letter is kept before the broker lets go of the message. A move that fails (the store or the broker's
  // dead-letter destination refusing it) is tried again after a backoff, with the message unsettled meanwhile: it is
  // neither acked nor lost, and its stream waits. Only a delivery handed back (closed, rebalanced) stops trying:
  // the broker delivers it again.
  private void giveUp(Delivery delivery, Throwable cause, int attempts, Instant firstFailure) {
    moveToDeadLetters(delivery, cause, attempts, firstFailure, 1);
  }

  private void moveToDeadLetters(Delivery delivery, Throwable cause, int attempts, Instant firstFailure, int move) {
    if (closed) {
      letGo(delivery, cause);
      return;
    }
    keep(delivery, cause, attempts, firstFailure)
        .compose(kept -> delivery.deadLetter(cause, attempts))
        .onSuccess(moved -> deadLettered(delivery.event()))
        .onFailure(err -> {
          if (closed && !(err instanceof IllegalStateException)) {
            letGo(delivery, cause);
            return;
          }
          if (err instanceof IllegalStateException) {
            log.warn("group '{}' could not dead-letter a message from {} and no longer holds it ({}); it will be delivered again",
                group, delivery.message().destination(), err.getMessage());
            return;
          }
          long delay = backoff.delayMs(move);
          log.warn("group '{}' could not dead-letter a message from {} (move {}), trying again in {} ms; it stays unacked: {}",
              group, delivery.message().destination(), move, delay, err.getMessage());
          long[] timer = new long[1];
          timer[0] = vertx.setTimer(delay, t -> {
            waiting.remove(timer[0]);
            moveToDeadLetters(delivery, cause, attempts, firstFailure, move + 1);
          });
          waiting.put(timer[0], delivery);
        });
  }

  private Future<DeadLetter> keep(Delivery delivery, Throwable cause, int attempts, Instant firstFailure) {
    RecordedEvent event = delivery.event();
    UUID id = event != null
        ? UUID.nameUUIDFromBytes((group + "\u0000" + event.envelope().id()).getBytes(StandardCharsets.UTF_8))
        : undecodableId(delivery.message());
    return deadLetters.add(new DeadLetter(id, 0, group, broker.name(), delivery.message(),
        event == null ? null : event.envelope().id(), event == null ? null : event.type(),
        event == null ? null : event.streamId(), event == null ? 0 : event.position(), attempts,
        String.valueOf(cause.getMessage() == null ? cause.toString() : cause.getMessage()), firstFailure, Instant.now(), 0));
  }

  // a message that is not an event has no event id: it is known by where it came from and what it is, so a
  // redelivery of it finds its dead letter again, and two messages from one queue (RabbitMQ names no offset) do not
  // overwrite each other
  private UUID undecodableId(RawMessage message) {
    Buffer key = Buffer.buffer().appendString(group).appendByte((byte) 0).appendString(message.destination());
    new TreeMap<>(message.headers()).forEach((name, value) -> key.appendByte((byte) 0).appendString(name)
        .appendByte((byte) 1).appendString(value));
    return UUID.nameUUIDFromBytes(key.appendByte((byte) 0).appendBuffer(message.payload()).getBytes());
  }

  // a redrive request for one of this group's dead letters: decode it again and handle it once
  private void redrive(Message<JsonObject> request) {
    UUID id = UUID.fromString(request.body().getString("id"));
    deadLetters.get(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new DeadLetterNotFoundException(id));
      }
      RecordedEvent event;
      try {
        event = broker.decode(found.get().message());
      } catch (RuntimeException e) {
        return Future.failedFuture(new RedriveFailedException("still not an event: " + e.getMessage(), e));
      }
      return apply(event)
          .recover(err -> Future.failedFuture(new RedriveFailedException(String.valueOf(err.getMessage()), err)))
          .compose(handled -> deadLetters.delete(id))
          .map(deleted -> new JsonObject().put("id", id.toString()).put("eventId", event.envelope().id().toString())
              .put("position", event.position()));
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        request.reply(ar.result());
      } else if (ar.cause() instanceof RedriveFailedException failed) {
        deadLetters.redriveFailed(id, failed.getMessage())
            .onComplete(updated -> request.fail(422, failed.getMessage()));
      } else if (ar.cause() instanceof DeadLetterNotFoundException missing) {
        request.fail(404, missing.getMessage());
      } else {
        request.fail(503, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  // what waits for a retry is let go at once: the subscription's close waits for unsettled deliveries, and the
  // group's next member tries them again
  private Future<Void> close(BrokerSubscription subscription) {
    closed = true;
    Future<Void> leaving = subscription.close();
    for (Map.Entry<Long, Delivery> retry : Map.copyOf(waiting).entrySet()) {
      vertx.cancelTimer(retry.getKey());
      letGo(retry.getValue(), new IllegalStateException("consumer group '" + group + "' is closing"));
    }
    waiting.clear();
    return Future.join(leaving, redrive.unregister()).mapEmpty();
  }

  private void letGo(Delivery delivery, Throwable why) {
    delivery.nack(why).onFailure(err -> log.debug("group '{}': letting go of {} failed: {}", group,
        delivery.message().destination(), err.toString()));
  }

  /** The broker subscription, closed together with the redrive endpoint and pending retries. */
  private final class Subscription implements BrokerSubscription {

    private final BrokerSubscription delegate;

    Subscription(BrokerSubscription delegate) {
      this.delegate = delegate;
    }

    @Override
    public String group() {
      return delegate.group();
    }

    @Override
    public List<String> typePatterns() {
      return delegate.typePatterns();
    }

    @Override
    public Future<Void> close() {
      return GroupConsumer.this.close(delegate);
    }
  }
}
