package io.herald.broker.redis;

import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.event.RecordedEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes with XADD, confirmed by its reply. Publishes queue up from any thread; the broker's context sends them
 * in batches of up to {@code publishBatchSize} XADDs in one write, with up to {@code publishPipeline} batches
 * awaiting their replies, all on one connection: Redis applies them in queue order, so the events of one
 * {@code publishAll} land in list order, and after a failure nothing queued behind it for the same call is sent.
 * Each batch also adds the aggregate types it writes to the stream registry ({@code SADD <ns>.streams}), so groups
 * find new streams.
 */
final class RedisPublisher {

  private final Context context;
  private final RedisConnection link;
  private final RedisBinding binding;
  private final RedisKeys keys;
  private final long maxLen;
  private final int batchSize;
  private final int pipeline;
  private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private int inFlight;
  private volatile boolean closed;

  private record Item(RecordedEvent event, Ticket ticket) {
    String aggregateType() {
      return event.envelope().aggregatetype();
    }
  }

  /** One publish call: confirmed when all its events are, failed at its first failure. */
  private static final class Ticket {
    private final Context caller;
    private final Promise<Void> promise = Promise.promise();
    private final AtomicInteger remaining;
    private final AtomicBoolean done = new AtomicBoolean();

    Ticket(Context caller, int events) {
      this.caller = caller;
      this.remaining = new AtomicInteger(events);
    }

    boolean failed() {
      return done.get() && remaining.get() > 0;
    }

    void confirmed(int events) {
      if (remaining.addAndGet(-events) == 0 && done.compareAndSet(false, true)) {
        complete(null);
      }
    }

    void fail(Throwable cause) {
      if (done.compareAndSet(false, true)) {
        complete(cause);
      }
    }

    private void complete(Throwable cause) {
      Runnable action = () -> {
        if (cause == null) {
          promise.complete();
        } else {
          promise.fail(cause);
        }
      };
      if (caller == null || Vertx.currentContext() == caller) {
        action.run();
      } else {
        caller.runOnContext(v -> action.run());
      }
    }
  }

  RedisPublisher(Context context, RedisConnection link, RedisBinding binding, RedisKeys keys, RedisBrokerOptions options) {
    this.context = Objects.requireNonNull(context, "context");
    this.link = Objects.requireNonNull(link, "link");
    this.binding = Objects.requireNonNull(binding, "binding");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.maxLen = options.maxLen();
    this.batchSize = options.publishBatchSize();
    this.pipeline = options.publishPipeline();
  }

  /** Queues {@code events} in order; the future completes on the caller's context. */
  Future<Void> publish(List<RecordedEvent> events) {
    if (closed) {
      return Future.failedFuture(new BrokerUnavailableException("the Redis publisher is closed"));
    }
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    Ticket ticket = new Ticket(Vertx.currentContext(), events.size());
    List<Item> items = new ArrayList<>(events.size());
    for (RecordedEvent event : events) {
      String aggregateType = event.envelope().aggregatetype();
      if (RedisKeys.reservedAggregateType(aggregateType)) {
        return Future.failedFuture(new IllegalArgumentException("aggregate type '" + aggregateType
            + "' is reserved by the Redis adapter (its stream key would be " + keys.stream(aggregateType)
            + ", a key the adapter keeps for itself)"));
      }
      items.add(new Item(event, ticket));
    }
    queue.addAll(items);
    if (closed) {
      failQueued();
    } else if (flushScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> flush());
    }
    return ticket.promise.future();
  }

  /** Fails what is queued; batches already sent complete as their replies (or the closed link) say. */
  void close() {
    closed = true;
    failQueued();
  }

  // on the context
  private void flush() {
    flushScheduled.set(false);
    while (!closed && inFlight < pipeline && !queue.isEmpty()) {
      List<Item> batch = new ArrayList<>(Math.min(batchSize, 64));
      Item item;
      while (batch.size() < batchSize && (item = queue.poll()) != null) {
        if (!item.ticket.failed()) { // an earlier event of the same call failed: this one is not published
          batch.add(item);
        }
      }
      if (!batch.isEmpty()) {
        send(batch);
      }
    }
  }

  // events are encoded here, a batch at a time, while earlier batches are on the wire
  private void send(List<Item> items) {
    List<Item> batch = new ArrayList<>(items.size());
    List<Request> requests = new ArrayList<>(items.size() + 1);
    Set<String> types = new LinkedHashSet<>();
    requests.add(null); // the SADD, once the types are known
    for (Item item : items) {
      if (item.ticket.failed()) {
        continue;
      }
      try {
        requests.add(binding.xadd(keys.stream(item.aggregateType()), maxLen, item.event));
      } catch (RuntimeException e) {
        item.ticket.fail(new BrokerException("cannot encode the event at position " + item.event.position()
            + ": " + e.getMessage(), e));
        continue;
      }
      batch.add(item);
      types.add(item.aggregateType());
    }
    if (batch.isEmpty()) {
      return;
    }
    Request register = Request.cmd(Command.SADD).arg(keys.registry());
    types.forEach(register::arg);
    requests.set(0, register);
    inFlight++;
    link.batch(requests).onComplete(ar -> {
      inFlight--;
      if (ar.succeeded()) {
        confirm(batch);
      } else {
        Throwable cause = ar.cause() instanceof BrokerException ? ar.cause()
            : new BrokerException("Redis refused a batch of " + batch.size() + " XADDs: " + ar.cause().getMessage(), ar.cause());
        for (Item item : batch) {
          item.ticket.fail(cause);
        }
      }
      flush();
    });
  }

  // consecutive items mostly share one ticket: confirm them in runs
  private static void confirm(List<Item> batch) {
    Ticket run = null;
    int count = 0;
    for (Item item : batch) {
      if (item.ticket != run) {
        if (run != null) {
          run.confirmed(count);
        }
        run = item.ticket;
        count = 0;
      }
      count++;
    }
    if (run != null) {
      run.confirmed(count);
    }
  }

  private void failQueued() {
    Item item;
    while ((item = queue.poll()) != null) {
      item.ticket.fail(new BrokerUnavailableException("the Redis publisher is closed"));
    }
  }
}
