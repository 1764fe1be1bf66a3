package io.herald.projection;

import io.herald.testing.StoreTestBase;
import io.herald.testing.Futures;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.herald.store.AppendResult;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The behaviour of projections, run against each store. Each test uses its own projection name and users. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ProjectionRunnerContract extends StoreTestBase {

  static final EventFactory EVENTS = new EventFactory(BlueprintEvents.registry(), "/test/users");

  static <T> T await(Future<T> future) {
    return Futures.await(future);
  }

  static void waitUntil(BooleanSupplier condition) {
    Futures.waitUntil(condition);
  }

  /** A read model of user emails, restricted to one test's users by a prefix. */
  static final class Emails implements ProjectionHandler {
    final String prefix;
    final Map<String, String> byUser = new ConcurrentHashMap<>();
    final AtomicInteger applied = new AtomicInteger();
    volatile String failOn;

    Emails(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Future<Void> apply(RecordedEvent event) {
      if (event.data() instanceof UserRegistered u && u.userId().startsWith(prefix)) {
        if (u.userId().equals(failOn)) {
          return Future.failedFuture(new IllegalStateException("cannot project " + u.userId()));
        }
        applied.incrementAndGet();
        byUser.put(u.userId(), u.email());
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> reset() {
      byUser.clear();
      return Future.succeededFuture();
    }
  }

  private AppendResult register(String prefix, int count) {
    return await(store.append("users-" + prefix + UUID.randomUUID(), EventStore.ANY_VERSION,
        IntStream.range(0, count).mapToObj(i -> EVENTS.create(new UserRegistered(prefix + i, prefix + i + "@example.org", "u")))
            .toList()));
  }

  private ProjectionRunner runner(String name, Emails emails) {
    return new ProjectionRunner(vertx, store, store.checkpoints(), name, emails, new ProjectionOptions(5, 50));
  }

  private static String unique() {
    return "p" + UUID.randomUUID().toString().substring(0, 8) + "-";
  }

  @Test
  @DisplayName("catches up from its checkpoint, goes live, and reports state, checkpoint and lag")
  void catchUpThenLive() throws Exception {
    String prefix = unique();
    register(prefix, 10);
    Emails emails = new Emails(prefix);
    ProjectionRunner runner = runner(prefix + "emails", emails);

    await(runner.start());
    waitUntil(() -> runner.state() == ProjectionState.LIVE);
    AppendResult live = register(prefix + "live", 1);
    waitUntil(() -> runner.checkpoint() >= live.lastPosition());
    ProjectionStatus status = await(runner.status());
    await(runner.stop());

    assertThat(emails.byUser).hasSize(11).containsEntry(prefix + "3", prefix + "3@example.org");
    assertThat(status.state()).isEqualTo(ProjectionState.LIVE);
    assertThat(status.checkpoint()).isGreaterThanOrEqualTo(live.lastPosition());
    assertThat(status.toJson().getString("state")).isEqualTo("live");
  }

  @Test
  @DisplayName("after a stop it resumes from its stored checkpoint without applying an event twice")
  void resumesWithoutReprocessing() throws Exception {
    String prefix = unique();
    register(prefix, 7);
    Emails emails = new Emails(prefix);
    ProjectionRunner first = runner(prefix + "emails", emails);
    await(first.start());
    waitUntil(() -> emails.applied.get() == 7);
    await(first.stop());

    register(prefix + "more", 3);
    ProjectionRunner second = runner(prefix + "emails", emails);   // the same read model, as a stored one would be
    await(second.start());
    waitUntil(() -> emails.applied.get() >= 10);
    Thread.sleep(200);
    await(second.stop());

    assertThat(emails.applied).as("events applied over both runs").hasValue(10);
  }

  @Test
  @DisplayName("a runner standing by for the writer role reports the checkpoint another runner stored, and its lag")
  void standbyReportsStoredCheckpoint() {
    String prefix = unique();
    AppendResult written = register(prefix, 4);
    Emails emails = new Emails(prefix);
    ProjectionRunner writer = runner(prefix + "emails", emails);
    await(writer.start());
    waitUntil(() -> emails.applied.get() == 4);
    await(writer.stop());

    ProjectionRunner standby = runner(prefix + "emails", new Emails(prefix));
    await(standby.standby());
    ProjectionStatus status = await(standby.status());

    assertThat(status.state()).isEqualTo(ProjectionState.STANDBY);
    assertThat(status.checkpoint()).as("the stored checkpoint").isGreaterThanOrEqualTo(written.lastPosition());
    assertThat(status.lag()).isEqualTo(status.head() - status.checkpoint());
    assertThat(status.toJson().getString("state")).isEqualTo("standby");
    assertThat(standby.checkpoint()).as("nothing applied by the standby itself").isZero();
  }

  @Test
  @DisplayName("a rebuild empties the read model and replays from position 1 while the projection keeps running")
  void rebuild() throws Exception {
    String prefix = unique();
    AppendResult written = register(prefix, 6);
    Emails emails = new Emails(prefix);
    ProjectionRunner runner = runner(prefix + "emails", emails);
    await(runner.start());
    waitUntil(() -> emails.byUser.size() == 6);
    emails.byUser.put("stale", "entry");

    await(runner.rebuild());
    waitUntil(() -> runner.state() == ProjectionState.LIVE && runner.checkpoint() >= written.lastPosition());
    await(runner.stop());

    assertThat(emails.byUser).hasSize(6).doesNotContainKey("stale");
    assertThat(emails.applied).hasValue(12);
  }

  @Test
  @DisplayName("a read can wait until the projection has reached a position, or fails naming both positions")
  void readYourWrites() {
    String prefix = unique();
    Emails emails = new Emails(prefix);
    ProjectionRunner runner = runner(prefix + "emails", emails);
    await(runner.start());

    AppendResult written = register(prefix, 1);
    await(runner.awaitPosition(written.lastPosition(), 5_000));
    assertThat(emails.byUser).containsKey(prefix + "0");

    Throwable tooFar = failure(runner.awaitPosition(written.lastPosition() + 1_000_000, 100));
    await(runner.stop());
    assertThat(tooFar).isInstanceOf(ProjectionTimeoutException.class)
        .hasMessageContaining("not " + (written.lastPosition() + 1_000_000)).hasMessageContaining("within 100 ms");
  }

  @Test
  @DisplayName("a failing handler stops the projection in FAILED with the reason, and a rebuild restarts it")
  void failure() throws Exception {
    String prefix = unique();
    Emails emails = new Emails(prefix);
    emails.failOn = prefix + "2";
    register(prefix, 4);
    ProjectionRunner runner = runner(prefix + "emails", emails);
    await(runner.start());
    waitUntil(() -> runner.state() == ProjectionState.FAILED);

    ProjectionStatus status = await(runner.status());
    assertThat(status.error()).isEqualTo("cannot project " + prefix + "2");
    assertThat(emails.byUser).containsOnlyKeys(prefix + "0", prefix + "1");

    emails.failOn = null;
    await(runner.rebuild());
    waitUntil(() -> emails.byUser.size() == 4);
    await(runner.stop());
  }

  private static Throwable failure(Future<?> future) {
    return Futures.failureOf(future);
  }
}
