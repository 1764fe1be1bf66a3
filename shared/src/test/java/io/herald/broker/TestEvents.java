package io.herald.broker;

import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.OrderShipped;
import io.herald.event.domain.UserRegistered;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Event fixtures and small waiting helpers shared by the broker tests. */
public final class TestEvents {

  private static final EventFactory FACTORY = new EventFactory(BlueprintEvents.registry(), "/herald/test");
  private static final long WAIT_MS = 5_000;

  private TestEvents() {
  }

  public static EventEnvelope orderPaid(String orderId) {
    return FACTORY.create(new OrderPaid(orderId, "pay-" + UUID.randomUUID(), new BigDecimal("12.50")));
  }

  public static EventEnvelope orderShipped(String orderId) {
    return FACTORY.create(new OrderShipped(orderId, "ship-" + UUID.randomUUID()));
  }

  public static EventEnvelope userRegistered(String userId) {
    return FACTORY.create(new UserRegistered(userId, userId + "@example.test", userId));
  }

  /** A stored-looking event, for tests that publish to a broker directly. */
  public static RecordedEvent recorded(long position, String streamId, EventEnvelope envelope) {
    return new RecordedEvent(position, streamId, envelope);
  }

  /** @return each stream's events in the order they appear in {@code events} */
  public static Map<String, List<Long>> positionsByStream(List<RecordedEvent> events) {
    Map<String, List<Long>> byStream = new LinkedHashMap<>();
    for (RecordedEvent e : events) {
      byStream.computeIfAbsent(e.streamId(), k -> new ArrayList<>()).add(e.position());
    }
    return byStream;
  }

  /** Polls {@code condition} from the test thread until it holds, failing after five seconds. */
  public static void awaitUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT_MS + " ms waiting until " + what);
      }
      pause(5);
    }
  }

  /** Waits for {@code future} to fail and returns why; fails the test when it succeeds or takes over five seconds. */
  public static Throwable failureOf(Future<?> future) {
    awaitUntil("the future completes", future::isComplete);
    if (future.succeeded()) {
      throw new AssertionError("expected a failure, but the future succeeded with " + future.result());
    }
    return future.cause();
  }

  /** Lets in-flight deliveries land, so a test can check that nothing more arrives. */
  public static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
