package io.herald.broker;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Test double of the broker around a real one: refuses the next N publishes, and records every attempt. */
public final class FlakyBroker extends ForwardingBroker {

  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final List<Long> attempts = new CopyOnWriteArrayList<>();

  public FlakyBroker(MessageBroker delegate) {
    super(delegate);
  }

  /** Makes the next {@code n} publishes fail without reaching the real broker. */
  public void failNext(int n) {
    failuresLeft.set(n);
  }

  /** @return the position of every publish attempt, in call order */
  public List<Long> attempts() {
    return List.copyOf(attempts);
  }

  @Override
  public String name() {
    return "flaky " + delegate.name();
  }

  @Override
  public Future<Void> publish(RecordedEvent event) {
    attempts.add(event.position());
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Future.failedFuture(new BrokerUnavailableException("injected failure for position " + event.position()));
    }
    return delegate.publish(event);
  }
}
