package io.herald.broker.nats;

import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import io.nats.client.PullSubscribeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pulling thread of a group's active member. It keeps one pull subscription bound to the durable consumer
 * and asks for messages with pull requests of at most {@code batch} messages, never more than the member's free
 * buffer ({@code maxBuffered} minus the messages handed over and not settled, minus those requested and not
 * arrived yet), and hands every message to the member. Once the buffer is full it asks for nothing until
 * {@link #signal()}. The subscription outlives each request, so a message that arrives after its request expired
 * is still handed over, never dropped. The client's receive blocks, hence a thread of its own rather than an
 * event loop or the shared worker pool. Survives outages: pull requests expire after {@code waitMs} and are
 * issued again, and the durable consumer on the server keeps the position.
 */
final class PullFetcher implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(PullFetcher.class);
  private static final Duration POLL = Duration.ofMillis(50);

  private final JetStream jetStream;
  private final String stream;
  private final String group;
  private final int batch;
  private final int maxBuffered;
  private final long waitMs;
  private final long retryMs;
  private final AtomicInteger outstanding;
  private final Consumer<Message> sink;
  private final Object lock = new Object();
  private volatile boolean stopped;
  private volatile Thread thread;
  private volatile long lastRequestExpiresAt = System.nanoTime();
  private final CompletableFuture<List<Message>> exited = new CompletableFuture<>();

  /**
   * @param outstanding messages handed to the member and not yet settled; the fetcher adds, the member subtracts
   * @param sink        receives each message on this fetcher's thread
   */
  PullFetcher(JetStream jetStream, String stream, String group, int batch, int maxBuffered, long waitMs, long retryMs,
              AtomicInteger outstanding, Consumer<Message> sink) {
    this.jetStream = jetStream;
    this.stream = stream;
    this.group = group;
    this.batch = batch;
    this.maxBuffered = maxBuffered;
    this.waitMs = waitMs;
    this.retryMs = retryMs;
    this.outstanding = outstanding;
    this.sink = sink;
  }

  void start() {
    Thread t = new Thread(this, "herald-nats-fetch-" + group);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Stops pulling.
   *
   * @return completes once the thread has unsubscribed (so no pull request of it can take a message any more),
   *     with the messages that had arrived and were not handed over, for the member to hand back
   */
  CompletableFuture<List<Message>> stop() {
    stopped = true;
    Thread t = thread;
    if (t == null) {
      exited.complete(List.of());
    } else {
      t.interrupt();
    }
    return exited;
  }

  /** Wakes the thread when it waits for buffer space. */
  void signal() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  @Override
  public void run() {
    JetStreamSubscription subscription = null;
    try {
      while (!stopped) {
        try {
          if (subscription == null) {
            subscription = jetStream.subscribe(null, PullSubscribeOptions.bind(stream, group));
          }
          pullLoop(subscription);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          if (stopped) {
            return;
          }
          log.warn("pulling for consumer group '{}' failed, retrying in {} ms: {}", group, retryMs, e.toString());
          Thread.sleep(retryMs);
        }
      }
    } catch (InterruptedException e) {
      // stopped
    } finally {
      exited.complete(subscription == null ? List.of() : unsubscribe(subscription));
    }
  }

  private void pullLoop(JetStreamSubscription subscription) throws Exception {
    long requested = 0;
    long expiresAt = System.nanoTime();
    while (!stopped) {
      long now = System.nanoTime();
      if (requested > 0 && now - expiresAt > 0) {
        requested = 0; // the server let the request expire; whatever still arrives is handed over all the same
      }
      long free = maxBuffered - outstanding.get() - requested;
      if (free > 0 && (requested == 0 || free >= batch)) {
        int n = (int) Math.min(batch, free);
        subscription.pull(PullRequestOptions.builder(n).expiresIn(Duration.ofMillis(waitMs)).build());
        requested += n;
        expiresAt = now + TimeUnit.MILLISECONDS.toNanos(waitMs + 100);
        lastRequestExpiresAt = expiresAt;
      }
      if (requested == 0) {
        synchronized (lock) {
          if (!stopped && maxBuffered - outstanding.get() <= 0) {
            lock.wait(waitMs); // a settled message signals; the timeout only guards against a lost signal
          }
        }
        continue;
      }
      Message message = subscription.nextMessage(POLL);
      if (message != null) {
        requested = Math.max(0, requested - 1);
        outstanding.incrementAndGet();
        sink.accept(message);
      }
    }
  }

  // JetStream (2.9) still fills a pull request whose subscriber is gone, and a nacked message would go to it:
  // keep receiving until the last request expired, then unsubscribe, so the member's naks reach the next puller
  private List<Message> unsubscribe(JetStreamSubscription subscription) {
    Thread.interrupted(); // stop() interrupts; the last receives below must not see it
    List<Message> left = new ArrayList<>();
    try {
      Message message;
      while (System.nanoTime() - lastRequestExpiresAt < 0) {
        message = subscription.nextMessage(POLL);
        if (message != null) {
          left.add(message);
        }
      }
      while ((message = subscription.nextMessage(Duration.ofMillis(1))) != null) {
        left.add(message);
      }
      subscription.unsubscribe();
    } catch (Exception e) {
      log.debug("group '{}' could not unsubscribe cleanly: {}", group, e.toString());
    }
    return left;
  }
}
