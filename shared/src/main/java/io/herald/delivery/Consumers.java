package io.herald.delivery;

import io.herald.broker.BrokerSubscription;
import io.herald.broker.MessageBroker;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How services consume from the broker, with a delivery guarantee per consumer group, retries with exponential
 * backoff and jitter, and dead letters:
 *
 * <pre>{@code
 * consumers.atLeastOnce("notification", List.of("user.registered"), event -> mailer.send(event));
 * consumers.effectivelyOnce("billing", List.of("order.paid"), inbox, (event, tx) -> ledger.book(tx, event));
 * }</pre>
 *
 * A handler that keeps failing is retried up to {@link RetryPolicy#maxAttempts()} times (the event's stream waits
 * meanwhile, so order holds), then its event becomes a dead letter: kept in the {@link DeadLetterStore} with the
 * payload, headers, attempts, last error and origin, and moved to the broker's own dead-letter destination. A
 * message that is not an event at all goes there at once, and so does one larger than
 * {@link #withMaxMessageBytes the size limit}, before its handler sees it. Dead letters are redriven through
 * {@link DeadLetters#redrive}: the consumer group that failed handles the message again.
 */
public final class Consumers {

  /** The largest message handed to a handler, in bytes, unless {@link #withMaxMessageBytes} says otherwise. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

  private final Vertx vertx;
  private final MessageBroker broker;
  private final DeadLetterStore deadLetters;
  private final RetryPolicy retry;
  private final DeliveryListener listener;
  private final int maxMessageBytes;

  public Consumers(Vertx vertx, MessageBroker broker, DeadLetterStore deadLetters, RetryPolicy retry) {
    this(vertx, broker, deadLetters, retry, DeliveryListener.NONE);
  }

  /** As above, telling {@code listener} how every group settles its events. */
  public Consumers(Vertx vertx, MessageBroker broker, DeadLetterStore deadLetters, RetryPolicy retry,
                   DeliveryListener listener) {
    this(vertx, broker, deadLetters, retry, listener, DEFAULT_MAX_MESSAGE_BYTES);
  }

  private Consumers(Vertx vertx, MessageBroker broker, DeadLetterStore deadLetters, RetryPolicy retry,
                    DeliveryListener listener, int maxMessageBytes) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("delivery.maxMessageBytes must be >= 1, was " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * @param maxBytes the largest message payload a group hands to its handler, in bytes; a larger one (a foreign
   *                 producer's, say) becomes a dead letter at once with the sizes in its reason
   * @return consumers like these with that limit
   */
  public Consumers withMaxMessageBytes(int maxBytes) {
    return new Consumers(vertx, broker, deadLetters, retry, listener, maxBytes);
  }

  /** Acks after {@code handler}'s future succeeded; redelivered after a crash, so the handler must be idempotent. */
  public Future<BrokerSubscription> atLeastOnce(String group, List<String> typePatterns,
                                                Function<RecordedEvent, Future<Void>> handler) {
    return subscribe(group, typePatterns, DeliveryGuarantee.AT_LEAST_ONCE, handler);
  }

  /** Acks before calling {@code handler}: no retry, no redelivery; a failure is kept as a dead letter only. */
  public Future<BrokerSubscription> atMostOnce(String group, List<String> typePatterns,
                                               Function<RecordedEvent, Future<Void>> handler) {
    return subscribe(group, typePatterns, DeliveryGuarantee.AT_MOST_ONCE, handler);
  }

  /**
   * At least once through an {@link Inbox}: {@code handler} runs with the inbox's transaction (a SQL connection
   * for {@link io.herald.delivery.pg.PgInbox}), and its effect commits with the record of the event, once.
   */
  public <T> Future<BrokerSubscription> effectivelyOnce(String group, List<String> typePatterns, Inbox<T> inbox,
                                                        BiFunction<RecordedEvent, T, Future<Void>> handler) {
    Objects.requireNonNull(inbox, "inbox");
    Objects.requireNonNull(handler, "handler");
    return subscribe(group, typePatterns, DeliveryGuarantee.EFFECTIVELY_ONCE,
        event -> inbox.handleOnce(group, event, tx -> handler.apply(event, tx)).mapEmpty());
  }

  private Future<BrokerSubscription> subscribe(String group, List<String> typePatterns, DeliveryGuarantee guarantee,
                                               Function<RecordedEvent, Future<Void>> handler) {
    Objects.requireNonNull(handler, "handler");
    GroupConsumer consumer = new GroupConsumer(vertx, broker, deadLetters, retry, group, typePatterns, guarantee, handler,
        listener, maxMessageBytes);
    return consumer.start();
  }
}
