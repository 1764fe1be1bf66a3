package io.herald.broker.support;

import io.herald.async.OnContext;
import io.herald.broker.BrokerSubscription;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.MessageBroker;
import io.herald.broker.TypePatterns;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every adapter's {@link MessageBroker} does the same way: the lifecycle ({@link BrokerState}) on the context the
 * broker was created on, the checks of {@code subscribe}'s arguments, the context a member lives on, the members it
 * keeps and closes, and the subscription it returns. An adapter adds how it connects ({@link #open()}), how a member
 * joins ({@link #join}), and what it releases once its members are closed ({@link #closeClients()}).
 *
 * @param <M> the adapter's group member
 * @param <O> the adapter's options
 */
public abstract class AbstractBroker<M extends GroupMember, O> implements MessageBroker {

  private static final Logger log = LoggerFactory.getLogger(AbstractBroker.class);

  protected final Vertx vertx;
  protected final O options;
  /** Where the broker's own state lives (the context it was created on). */
  protected final Context context;
  protected final BrokerState state = new BrokerState(this::name);
  private final Set<M> members = Collections.synchronizedSet(new LinkedHashSet<>());   // in joining order

  protected AbstractBroker(Vertx vertx, O options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.context = vertx.getOrCreateContext();
  }

  public final O options() {
    return options;
  }

  /** Connects and prepares the broker; may be called again after a failed start. */
  @Override
  public final Future<Void> start() {
    return state.start(context, this::open, this::undoOpen, this::onStarted);
  }

  /** The adapter's own start, on the broker's context: connect, check, declare. */
  protected abstract Future<Void> open();

  /** Releases what {@link #open()} made when the start failed, or the broker was closed while it ran. */
  protected void undoOpen() {
    closeClients();
  }

  /** Runs once the broker is started (timers, watchdogs). */
  protected void onStarted() {
  }

  /**
   * Checks the arguments (failing with {@link IllegalArgumentException}) and that the broker is started, has
   * {@link #join} make a member on the caller's context (a new event-loop context when called from outside Vert.x),
   * and returns its subscription once it receives events; leaving it goes through {@link GroupMember#leave()}.
   */
  @Override
  public final Future<BrokerSubscription> subscribe(String group, List<String> typePatterns, DeliveryHandler handler) {
    TypePatterns patterns;
    try {
      validateGroup(group);
      if (handler == null) {
        throw new IllegalArgumentException("handler is required");
      }
      patterns = TypePatterns.of(typePatterns);
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture(e instanceof IllegalArgumentException ? e : new IllegalArgumentException(e.getMessage(), e));
    }
    if (!state.isStarted()) {
      return Future.failedFuture(state.unavailable());
    }
    Context caller = Vertx.currentContext();
    Context memberContext = caller != null ? caller : vertx.getOrCreateContext();
    Future<BrokerSubscription> joined = join(group, patterns, handler, memberContext).compose(member -> {
      if (!state.isStarted()) {
        members.remove(member);
        return member.close().transform(ar -> Future.failedFuture(state.unavailable()));
      }
      members.add(member);
      return Future.succeededFuture(new GroupSubscription(group, patterns.patterns(), () -> leave(member)));
    });
    return OnContext.of(caller, joined);
  }

  /**
   * Makes a member of {@code group} that lives on {@code memberContext}, and completes once it receives the group's
   * events; on failure it has released what it made. Arguments are checked, the broker was started.
   */
  protected abstract Future<M> join(String group, TypePatterns patterns, DeliveryHandler handler, Context memberContext);

  /**
   * Refuses a group name this broker cannot use, with {@link IllegalArgumentException}: by default a blank one or one
   * holding whitespace.
   */
  protected void validateGroup(String group) {
    if (group == null || group.isBlank() || group.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("group must be a non-blank name without whitespace, was '" + group + "'");
    }
  }

  /** Counts a member in before {@link #join} completes, so that a reconnect or a close meanwhile sees it too. */
  protected final void track(M member) {
    members.add(member);
  }

  /** Forgets a member whose join failed. */
  protected final void untrack(M member) {
    members.remove(member);
  }

  /** @return the members, in the order they joined */
  protected final List<M> members() {
    synchronized (members) {
      return List.copyOf(members);
    }
  }

  private Future<Void> leave(M member) {
    members.remove(member);
    return OnContext.of(Vertx.currentContext(), member.leave());
  }

  /** @return {@code action}'s future when the broker is started, otherwise a {@link io.herald.broker.BrokerUnavailableException} */
  protected final <T> Future<T> whenStarted(Supplier<Future<T>> action) {
    return state.isStarted() ? action.get() : Future.failedFuture(state.unavailable());
  }

  /** @return {@code action} run on the broker's context, its outcome on the caller's context */
  protected final <T> Future<T> onBrokerContext(Supplier<Future<T>> action) {
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    OnContext.run(context, () -> {
      try {
        action.get().onComplete(result);
      } catch (RuntimeException e) {
        result.fail(e);
      }
    });
    return OnContext.of(caller, result.future());
  }

  /** Closes every member (nothing unsettled is acked), then {@link #closeClients()}; completes when all is released. */
  @Override
  public final Future<Void> close() {
    return onBrokerContext(() -> {
      String was = state.phase();
      if (!state.close()) {
        return Future.succeededFuture();
      }
      onClosing();
      List<Future<Void>> leaving = new ArrayList<>();
      for (M member : members()) {
        members.remove(member);
        leaving.add(member.close());
      }
      return Future.join(leaving)
          .transform(ar -> was.equals("STARTED") ? closeClients() : Future.<Void>succeededFuture())   // a start under way undoes itself
          .transform(ar -> {
            log.info("broker '{}' closed (was {})", name(), was);
            return Future.<Void>succeededFuture();
          });
    });
  }

  /** Runs first in {@link #close()}, before the members close: stop timers, fail what waits for a confirm. */
  protected void onClosing() {
  }

  /** Releases the connections and clients once every member is closed; never fails. */
  protected abstract Future<Void> closeClients();
}
