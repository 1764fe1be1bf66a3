package io.herald.broker.lanes;

import static io.herald.broker.TestEvents.awaitUntil;
import static io.herald.broker.TestEvents.orderPaid;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.async.Backoff;
import io.herald.broker.Delivery;
import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.RecordedEvent;
import io.herald.testing.Futures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Stream lanes before a hand-back")
class StreamLanesDrainTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();

  @AfterEach
  void close() {
    Futures.await(vertx.close());
  }

  @Test
  @DisplayName("drain waits for the handler still running, counts its ack, and hands out nothing new meanwhile")
  void drainWaitsForRunningHandlers() {
    List<Delivery> handed = new CopyOnWriteArrayList<>();
    List<Long> acked = new CopyOnWriteArrayList<>();
    StreamLanes lanes = onContext(() -> new StreamLanes(vertx, context, "g", handed::add, 4, new Backoff(10, 20)));
    onContext(() -> {
      lanes.offer(message(1, "order-a", acked));
      lanes.offer(message(2, "order-b", acked));
      return null;
    });
    awaitUntil("both streams are being handled", () -> handed.size() == 2);

    Promise<Future<Void>> draining = Promise.promise();
    context.runOnContext(v -> draining.complete(lanes.drain()));
    Future<Void> drained = Futures.await(draining.future());
    onContext(() -> {
      lanes.offer(message(3, "order-c", acked));   // read before the hand-back: not handed out any more
      return null;
    });
    Futures.await(handed.get(0).ack());
    assertThat(drained.isComplete()).as("drained while a handler still runs").isFalse();

    Futures.await(handed.get(1).ack());
    awaitUntil("drained once every running handler settled", drained::isComplete);
    assertThat(acked).containsExactlyInAnyOrder(1L, 2L);
    assertThat(handed).hasSize(2);
  }

  @Test
  @DisplayName("a bounded drain also waits until the broker answered the ack, and gives up after its timeout")
  void boundedDrainWaitsForTheBrokersAnswerThenTimesOut() {
    List<Delivery> handed = new CopyOnWriteArrayList<>();
    Promise<Void> brokerAnswer = Promise.promise();
    StreamLanes lanes = onContext(() -> new StreamLanes(vertx, context, "g", handed::add, 4, new Backoff(10, 20)));
    onContext(() -> {
      lanes.offer(message(1, "order-a", brokerAnswer.future()));
      lanes.offer(message(2, "order-b", Future.succeededFuture()));
      return null;
    });
    awaitUntil("both streams are being handled", () -> handed.size() == 2);

    Future<Boolean> waitingForAck = onContext(() -> lanes.drain(60_000));
    handed.get(0).ack();   // the handler is done, the broker has not answered its ack yet
    Futures.await(handed.get(1).ack());
    assertThat(waitingForAck.isComplete()).as("drained before the broker answered an ack").isFalse();
    brokerAnswer.complete();
    awaitUntil("drained once the broker answered", waitingForAck::isComplete);
    assertThat(waitingForAck.result()).isTrue();

    onContext(() -> {
      lanes.reset();
      lanes.offer(message(3, "order-c", Future.succeededFuture()));
      return null;
    });
    awaitUntil("a new handler runs", () -> handed.size() == 3);
    Future<Boolean> hanging = onContext(() -> lanes.drain(200));   // the third handler never settles
    awaitUntil("the bounded drain gives up", hanging::isComplete);
    assertThat(hanging.result()).as("drained in time").isFalse();
  }

  @Test
  @DisplayName("held lanes start nothing new (neither queued messages nor due redeliveries), let the running handler"
      + " settle, and hand out in order once resumed")
  void heldLanesStartNothingNew() {
    List<Delivery> handed = new CopyOnWriteArrayList<>();
    List<Long> acked = new CopyOnWriteArrayList<>();
    StreamLanes lanes = onContext(() -> new StreamLanes(vertx, context, "g", handed::add, 2, new Backoff(10, 20)));
    onContext(() -> {
      lanes.offer(message(1, "order-a", acked));
      lanes.offer(message(2, "order-b", acked));
      lanes.offer(message(3, "order-c", acked));   // waits for a free slot
      return null;
    });
    awaitUntil("two streams are being handled", () -> handed.size() == 2);

    onContext(() -> {
      lanes.hold();
      return null;
    });
    Futures.await(handed.get(0).ack());
    Futures.await(handed.get(1).nack(new IllegalStateException("later")));
    onContext(() -> {
      lanes.offer(message(4, "order-a", acked));
      return null;
    });
    Futures.await(vertx.timer(200));   // ten times the redelivery delay
    assertThat(handed).as("handed out while held").hasSize(2);
    assertThat(acked).as("the running handler's ack still counts").containsExactly(1L);

    onContext(() -> {
      lanes.resume();
      return null;
    });
    awaitUntil("both slots are used again", () -> handed.size() == 4);
    Futures.await(handed.get(2).ack());
    awaitUntil("everything is handed out", () -> handed.size() == 5);
    assertThat(handed.subList(2, 5)).extracting(d -> d.event().position() + "#" + d.attempt())
        .containsExactlyInAnyOrder("2#2", "3#1", "4#1");
  }

  private <T> T onContext(java.util.function.Supplier<T> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> result.complete(action.get()));
    return Futures.await(result.future());
  }

  private static LaneMessage message(long position, String stream, List<Long> acked) {
    return message(position, stream, Future.succeededFuture(), acked);
  }

  private static LaneMessage message(long position, String stream, Future<Void> brokerAnswer) {
    return message(position, stream, brokerAnswer, new CopyOnWriteArrayList<>());
  }

  private static LaneMessage message(long position, String stream, Future<Void> brokerAnswer, List<Long> acked) {
    RecordedEvent event = new RecordedEvent(position, stream, orderPaid(stream));
    return new LaneMessage() {
      @Override
      public String lane() {
        return stream;
      }

      @Override
      public RecordedEvent event() {
        return event;
      }

      @Override
      public UndecodableMessageException decodeFailure() {
        return null;
      }

      @Override
      public RawMessage raw() {
        return null;
      }

      @Override
      public int attempt() {
        return 1;
      }

      @Override
      public Future<Void> ack() {
        acked.add(position);
        return brokerAnswer;
      }

      @Override
      public Future<Void> deadLetter(Throwable reason, int attempts) {
        return ack();
      }
    };
  }
}
