package io.herald.broker.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LeaseKeeper: one active member per group, through any lease store")
class LeaseKeeperTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> told = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A lease store whose answer the test sets: held, taken by another member, or unreachable. */
  private static final class ScriptedLease implements ActiveMemberLease {
    volatile String answer = "held";
    final AtomicInteger holds = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();

    @Override
    public Future<Boolean> hold(long timeoutMs) {
      holds.incrementAndGet();
      return switch (answer) {
        case "held" -> Future.succeededFuture(true);
        case "taken" -> Future.succeededFuture(false);
        default -> Future.failedFuture(new IllegalStateException("store unreachable"));
      };
    }

    @Override
    public Future<Void> release() {
      releases.incrementAndGet();
      return Future.succeededFuture();
    }
  }

  private LeaseKeeper start(Context context, ScriptedLease lease, long leaseMs) throws Exception {
    CompletableFuture<LeaseKeeper> started = new CompletableFuture<>();
    context.runOnContext(v -> {
      LeaseKeeper keeper = new LeaseKeeper(vertx, context, lease, leaseMs, 1_000, new LeaseKeeper.Listener() {
        @Override
        public void promoted() {
          told.add("promoted");
        }

        @Override
        public void demoted(String why) {
          told.add("demoted: " + why);
        }

        @Override
        public void doubted(String why) {
          told.add("doubted: " + why);
        }

        @Override
        public void confirmed() {
          told.add("confirmed");
        }
      });
      keeper.start();
      started.complete(keeper);
    });
    return started.get(5, TimeUnit.SECONDS);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  @DisplayName("promoted once when it holds the lease, demoted when another member holds it")
  void promotesAndDemotes() throws Exception {
    ScriptedLease lease = new ScriptedLease();
    start(vertx.getOrCreateContext(), lease, 300);
    await(() -> told.contains("promoted"));
    int seen = lease.holds.get();
    await(() -> lease.holds.get() >= seen + 2);
    assertThat(told).containsExactly("promoted");
    lease.answer = "taken";
    await(() -> told.size() == 2);
    assertThat(told).containsExactly("promoted", "demoted: another member holds the lease");
  }

  @Test
  @DisplayName("an unreachable store is tolerated while a third of the lease is left (the lease is in doubt), then"
      + " the member stops")
  void toleratesShortOutages() throws Exception {
    ScriptedLease lease = new ScriptedLease();
    start(vertx.getOrCreateContext(), lease, 3_000);
    await(() -> told.contains("promoted"));
    lease.answer = "unreachable";
    // the renewal's answer is handled after the lease was asked: wait for what the member is told, not for the ask
    await(() -> told.size() >= 2);
    assertThat(told).as("one failed renewal with most of the lease left")
        .containsExactly("promoted", "doubted: cannot renew the lease: store unreachable");
    await(() -> told.size() == 3);
    assertThat(told.get(2)).isEqualTo("demoted: cannot renew the lease: store unreachable");
  }

  @Test
  @DisplayName("a renewal that succeeds after a failed one confirms the lease, once")
  void confirmsAfterDoubt() throws Exception {
    ScriptedLease lease = new ScriptedLease();
    start(vertx.getOrCreateContext(), lease, 3_000);
    await(() -> told.contains("promoted"));
    lease.answer = "unreachable";
    await(() -> told.size() == 2);
    lease.answer = "held";
    await(() -> told.size() == 3);
    int seen = lease.holds.get();
    await(() -> lease.holds.get() >= seen + 2);
    assertThat(told).containsExactly("promoted", "doubted: cannot renew the lease: store unreachable", "confirmed");
  }

  @Test
  @DisplayName("closing gives the lease up only when this member held it")
  void releasesOnlyWhenHeld() throws Exception {
    Context context = vertx.getOrCreateContext();
    ScriptedLease standby = new ScriptedLease();
    standby.answer = "taken";
    LeaseKeeper waiting = start(context, standby, 300);
    await(() -> standby.holds.get() >= 1);
    ScriptedLease holder = new ScriptedLease();
    LeaseKeeper active = start(context, holder, 300);
    await(() -> told.contains("promoted"));
    CompletableFuture<Void> closed = new CompletableFuture<>();
    context.runOnContext(v -> waiting.close().compose(x -> active.close())
        .onComplete(ar -> closed.complete(null)));
    closed.get(5, TimeUnit.SECONDS);
    assertThat(standby.releases).hasValue(0);
    assertThat(holder.releases).hasValue(1);
    int after = holder.holds.get();
    Thread.sleep(250); // more than two renewal periods: a closed keeper no longer renews
    assertThat(holder.holds).hasValue(after);
  }
}
