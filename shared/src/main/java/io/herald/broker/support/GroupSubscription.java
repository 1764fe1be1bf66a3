package io.herald.broker.support;

import io.herald.broker.BrokerSubscription;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** The {@link BrokerSubscription} of every adapter: a group, its patterns, and how its member leaves. */
public final class GroupSubscription implements BrokerSubscription {

  private final String group;
  private final List<String> typePatterns;
  private final Supplier<Future<Void>> leave;

  /** @param leave closes the member; the adapter says there what happens to what it has not settled */
  public GroupSubscription(String group, List<String> typePatterns, Supplier<Future<Void>> leave) {
    this.group = Objects.requireNonNull(group, "group");
    this.typePatterns = List.copyOf(typePatterns);
    this.leave = Objects.requireNonNull(leave, "leave");
  }

  @Override
  public String group() {
    return group;
  }

  @Override
  public List<String> typePatterns() {
    return typePatterns;
  }

  @Override
  public Future<Void> close() {
    return leave.get();
  }
}
