package io.herald.bench.publish;

import io.herald.broker.redis.RedisBroker;
import io.herald.broker.redis.RedisBrokerOptions;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Redis Streams: Herald's {@link RedisBroker#publishAll} against XADDs written with the vertx-redis-client itself,
 * both confirmed by the XADD reply and pipelined the same way (batches of {@value #BATCH} commands in one write,
 * {@value #PIPELINE} batches awaiting replies, one connection). Each run writes to streams of its own namespace and
 * deletes them afterwards, outside the measured time.
 */
public final class RedisPublishBench implements PublishBench {

  static final int BATCH = RedisBrokerOptions.DEFAULT_PUBLISH_BATCH_SIZE;
  static final int PIPELINE = RedisBrokerOptions.DEFAULT_PUBLISH_PIPELINE;

  private final RedisBrokerOptions options;
  private final EventRegistry registry;

  /** @param options the {@code broker.redis} settings; the namespace is replaced by each run's own */
  public RedisPublishBench(RedisBrokerOptions options, EventRegistry registry) {
    this.options = Objects.requireNonNull(options, "options");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public String broker() {
    return "redis";
  }

  @Override
  public Future<Long> viaHerald(Vertx vertx, String namespace, List<RecordedEvent> events) {
    RedisBroker broker = new RedisBroker(vertx, options.withNamespace(namespace), registry);
    long[] started = new long[1];
    return broker.start()
        .compose(v -> {
          started[0] = System.nanoTime();
          return broker.publishAll(events);
        })
        .map(v -> System.nanoTime() - started[0])
        .eventually(broker::close)
        .eventually(() -> deleteNamespace(vertx, namespace));
  }

  @Override
  public Future<Long> viaRawClient(Vertx vertx, String namespace, List<Buffer> payloads) {
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(options.connectionString())
        .setMaxWaitingHandlers(BATCH * (PIPELINE + 1) + 1_024));
    String stream = namespace + ".raw";
    return redis.connect()
        .compose(connection -> {
          long started = System.nanoTime();
          return new Window(connection, stream, payloads).run().map(v -> System.nanoTime() - started)
              .eventually(connection::close);
        })
        .eventually(redis::close)
        .eventually(() -> deleteNamespace(vertx, namespace));
  }

  /** Sends batches of XADDs, keeping {@value #PIPELINE} of them awaiting replies. */
  private static final class Window {
    private final RedisConnection connection;
    private final String stream;
    private final List<Buffer> payloads;
    private final Promise<Void> done = Promise.promise();
    private int next;
    private int inFlight;

    Window(RedisConnection connection, String stream, List<Buffer> payloads) {
      this.connection = connection;
      this.stream = stream;
      this.payloads = payloads;
    }

    Future<Void> run() {
      fill();
      return done.future();
    }

    private void fill() {
      while (inFlight < PIPELINE && next < payloads.size()) {
        int end = Math.min(payloads.size(), next + BATCH);
        List<Request> batch = new ArrayList<>(end - next);
        for (int i = next; i < end; i++) {
          batch.add(Request.cmd(Command.XADD).arg(stream).arg("*").arg("event").arg(payloads.get(i)));
        }
        next = end;
        inFlight++;
        connection.batch(batch).onComplete(ar -> {
          inFlight--;
          if (ar.failed()) {
            done.tryFail(ar.cause());
          } else if (next >= payloads.size() && inFlight == 0) {
            done.tryComplete();
          } else {
            fill();
          }
        });
      }
      if (payloads.isEmpty()) {
        done.tryComplete();
      }
    }
  }

  private Future<Void> deleteNamespace(Vertx vertx, String namespace) {
    Redis redis = Redis.createClient(vertx, options.connectionString());
    return redis.send(Request.cmd(Command.KEYS).arg(namespace + ".*"))
        .compose(keys -> {
          if (keys == null || keys.size() == 0) {
            return Future.succeededFuture();
          }
          Request del = Request.cmd(Command.DEL);
          for (Response key : keys) {
            del.arg(key.toString());
          }
          return redis.send(del).mapEmpty();
        })
        .<Void>mapEmpty()
        .eventually(redis::close);
  }
}
