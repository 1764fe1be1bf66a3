package io.herald.broker.nats;

import io.herald.async.OnContext;
import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.PublishRefusedException;
import io.herald.event.RecordedEvent;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.PublishAck;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes events with JetStream's asynchronous publish; an event is confirmed by its {@link PublishAck} (the
 * stream stored it, or already had its id within the duplicate window). {@link #publishAll} keeps up to
 * {@code publishWindow} publishes in flight on one connection, which JetStream stores in send order, and reports
 * the results in list order. Publishes go through the {@link NatsPublishLink}; one {@code publishAll} keeps to the
 * connection it began on, so that JetStream's send order is the list order. Thread-safe; results complete on the
 * given context.
 */
final class NatsPublisher {

  private final NatsPublishLink links;
  private final NatsBinding binding;
  private final long timeoutMs;
  private final int window;

  NatsPublisher(NatsPublishLink links, NatsBinding binding, long timeoutMs, int window) {
    this.links = links;
    this.binding = binding;
    this.timeoutMs = timeoutMs;
    this.window = window;
  }

  Future<Void> publish(Context caller, RecordedEvent event) {
    Promise<Void> confirmed = Promise.promise();
    send(links.current(), event).whenComplete((ack, err) -> OnContext.complete(caller, confirmed,
        err == null ? Future.succeededFuture() : Future.failedFuture(failure(event, err))));
    return confirmed.future();
  }

  /** @param context where the window is managed and the result completes (an event loop or worker context) */
  Future<Void> publishAll(Context context, List<RecordedEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    OnContext.run(context, () -> new Run(context, List.copyOf(events), done).pump());
    return done.future();
  }

  /** JetStream's error code for a message over the stream's {@code max_msg_size}. */
  private static final int MESSAGE_SIZE_EXCEEDED = 10054;

  private CompletableFuture<PublishAck> send(NatsPublishLink.Link link, RecordedEvent event) {
    if (link == null || !link.connected()) {
      return CompletableFuture.failedFuture(new BrokerUnavailableException("not connected to NATS ("
          + (link == null ? "opening a new connection" : link.connection().getStatus()) + ")"));
    }
    try {
      Message message = binding.encode(event);
      return link.jetStream().publishAsync(message).orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private BrokerException failure(RecordedEvent event, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof BrokerException b) {
      return b;
    }
    if (cause instanceof IllegalArgumentException) {
      // the client checks the server's max_payload before sending
      return new PublishRefusedException("cannot publish position " + event.position() + ": " + cause.getMessage(), cause);
    }
    for (Throwable t = cause; t != null; t = t.getCause()) { // the client wraps the server's answer
      if (t instanceof JetStreamApiException api && api.getApiErrorCode() == MESSAGE_SIZE_EXCEEDED) {
        return new PublishRefusedException("NATS refused position " + event.position() + " (" + event.type()
            + ") for good: " + api.getMessage(), cause);
      }
    }
    String why = cause instanceof TimeoutException ? "no JetStream ack within " + timeoutMs + " ms" : String.valueOf(cause);
    return new BrokerUnavailableException("publish of position " + event.position() + " (" + event.type()
        + ") was not confirmed: " + why, cause);
  }

  /** One publishAll: a sliding window of sends, confirmed in list order. Confined to its context. */
  private final class Run {
    private final Context context;
    private final List<RecordedEvent> events;
    private final Promise<Void> done;
    private final Throwable[] results;
    private final NatsPublishLink.Link link = links.current();
    private final ConcurrentLinkedQueue<Object[]> arrived = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private int sent;
    private int confirmed;
    private boolean finished;

    private Run(Context context, List<RecordedEvent> events, Promise<Void> done) {
      this.context = context;
      this.events = events;
      this.done = done;
      this.results = new Throwable[events.size()];
    }

    private void pump() {
      while (!finished && sent < events.size() && sent - confirmed < window) {
        int index = sent++;
        send(link, events.get(index)).whenComplete((ack, err) -> arrive(index, err));
      }
    }

    // called on the client's threads: queue the result and hop to the context once per burst of acks
    private void arrive(int index, Throwable err) {
      arrived.add(new Object[] {index, err == null ? OK : err});
      if (drainScheduled.compareAndSet(false, true)) {
        context.runOnContext(v -> drain());
      }
    }

    private void drain() {
      drainScheduled.set(false);
      Object[] result;
      while ((result = arrived.poll()) != null) {
        results[(Integer) result[0]] = (Throwable) result[1];
      }
      while (!finished && confirmed < events.size() && results[confirmed] != null) {
        if (results[confirmed] != OK) {
          finished = true;
          done.fail(failure(events.get(confirmed), results[confirmed]));
          return;
        }
        confirmed++;
      }
      if (confirmed == events.size()) {
        if (!finished) {
          finished = true;
          done.complete();
        }
        return;
      }
      pump();
    }
  }

  private static final Throwable OK = new Throwable("confirmed", null, false, false) {
  };
}
