package io.herald.broker.rabbitmq;

import com.rabbitmq.client.Channel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes to one AMQP channel (publishes, acks) off the event loop, in submission order and in batches: the Java
 * client's writes go to a blocking socket, so they run on the worker pool, but one worker task carries up to
 * {@code batch} of them instead of one hop per frame. Confined to its context: call {@link #submit} there; the
 * returned futures complete there, in submission order.
 */
final class ChannelWriter {

  /** A write; runs on a worker thread. */
  @FunctionalInterface
  interface Write {
    void run(Channel channel) throws Exception;
  }

  private record Pending(Channel channel, Write write, Promise<Void> done) {
  }

  private final Context context;
  private final int batch;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean writing;

  ChannelWriter(Context context, int batch) {
    this.context = context;
    this.batch = batch;
  }

  Future<Void> submit(Channel channel, Write write) {
    Promise<Void> done = Promise.promise();
    queue.addLast(new Pending(channel, write, done));
    if (!writing) {
      writeNext();
    }
    return done.future();
  }

  private void writeNext() {
    if (queue.isEmpty()) {
      writing = false;
      return;
    }
    writing = true;
    List<Pending> taken = new ArrayList<>(Math.min(batch, queue.size()));
    while (taken.size() < batch && !queue.isEmpty()) {
      taken.add(queue.pollFirst());
    }
    context.<Throwable[]>executeBlocking(() -> {
      Throwable[] failures = new Throwable[taken.size()];
      for (int i = 0; i < taken.size(); i++) {
        Pending p = taken.get(i);
        try {
          p.write().run(p.channel());
        } catch (Throwable e) {
          failures[i] = e;
        }
      }
      return failures;
    }, false).onComplete(ar -> {
      for (int i = 0; i < taken.size(); i++) {
        Throwable failure = ar.failed() ? ar.cause() : ar.result()[i];
        if (failure == null) {
          taken.get(i).done().complete();
        } else {
          taken.get(i).done().fail(failure);
        }
      }
      writeNext();
    });
  }
}
