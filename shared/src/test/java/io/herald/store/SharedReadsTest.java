package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.herald.store.memory.InMemoryEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Reads shared by a store's subscriptions, over a real in-memory store whose answers are held back until the
 * test lets them go, so that requests overlap as they do on PostgreSQL.
 */
@DisplayName("Shared subscription reads")
class SharedReadsTest {

  private static final EventFactory EVENTS = new EventFactory(BlueprintEvents.registry(), "/herald/test");
  private static Vertx vertx;

  /** A real store whose reads are taken when asked for and answered when released. */
  private static final class HeldStore implements CatchUpSubscription.PageSource {
    final InMemoryEventStore store = new InMemoryEventStore(vertx);
    final List<Promise<Void>> held = new ArrayList<>();

    @Override
    public Future<EventPage> read(long fromPosition, int limit) {
      Future<EventPage> page = store.readAll(fromPosition, limit);
      Promise<Void> release = Promise.promise();
      held.add(release);
      return release.future().compose(v -> page);
    }

    void releaseAll() {
      held.forEach(Promise::tryComplete);
    }

    long append() {
      String user = "u-" + UUID.randomUUID();
      return Futures.await(store.append("user-" + user, EventStore.NO_STREAM,
          List.of(EVENTS.create(new UserRegistered(user, user + "@example.org", user))))).lastPosition();
    }
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Futures.await(vertx.close());
  }

  @Test
  @DisplayName("subscriptions woken by one commit read its page once between them")
  void oneReadAnswersEveryRequestAfterTheSameWakeUp() {
    HeldStore held = new HeldStore();
    SharedReads reads = new SharedReads(held);
    long position = held.append();
    reads.woken();

    List<Future<EventPage>> pages = List.of(reads.read(1, 100), reads.read(1, 100), reads.read(1, 100));

    assertThat(held.held).hasSize(1);
    held.releaseAll();
    for (Future<EventPage> page : pages) {
      assertThat(positions(Futures.await(page))).containsExactly(position);
    }
    assertThat(reads.inFlight()).isZero();
  }

  @Test
  @DisplayName("a request after a wake-up does not join a read asked for before it, and sees the commit")
  void requestAfterWakeUpReadsAgain() {
    HeldStore held = new HeldStore();
    SharedReads reads = new SharedReads(held);
    long first = held.append();
    Future<EventPage> before = reads.read(1, 100);

    long second = held.append();
    reads.woken();
    Future<EventPage> after = reads.read(1, 100);

    assertThat(held.held).hasSize(2);
    held.releaseAll();
    assertThat(positions(Futures.await(before))).containsExactly(first);
    assertThat(positions(Futures.await(after))).containsExactly(first, second);
  }

  @Test
  @DisplayName("requests for other positions or page sizes are read on their own")
  void otherPagesAreNotShared() {
    HeldStore held = new HeldStore();
    SharedReads reads = new SharedReads(held);
    long first = held.append();
    long second = held.append();

    Future<EventPage> fromFirst = reads.read(first, 100);
    Future<EventPage> fromSecond = reads.read(second, 100);
    Future<EventPage> smaller = reads.read(first, 1);

    assertThat(held.held).hasSize(3);
    held.releaseAll();
    assertThat(positions(Futures.await(fromFirst))).containsExactly(first, second);
    assertThat(positions(Futures.await(fromSecond))).containsExactly(second);
    assertThat(positions(Futures.await(smaller))).containsExactly(first);
  }

  @Test
  @DisplayName("a failed read fails every request that joined it, and the next request reads again")
  void failureReachesEveryJoinedRequestAndIsNotKept() {
    List<Promise<EventPage>> answers = new ArrayList<>();
    SharedReads reads = new SharedReads((from, limit) -> {
      Promise<EventPage> answer = Promise.promise();
      answers.add(answer);
      return answer.future();
    });
    Future<EventPage> one = reads.read(7, 10);
    Future<EventPage> two = reads.read(7, 10);

    answers.get(0).fail(new StoreUnavailableException("PostgreSQL at 127.0.0.1:1 is unavailable: refused", null));

    assertThat(Futures.failureOf(one)).hasMessageContaining("unavailable");
    assertThat(Futures.failureOf(two)).hasMessageContaining("unavailable");
    Future<EventPage> retry = reads.read(7, 10);
    assertThat(answers).hasSize(2);
    answers.get(1).complete(new EventPage(List.of(), 7));
    assertThat(Futures.await(retry).next()).isEqualTo(7);
  }

  @Test
  @DisplayName("a store that throws instead of answering fails the request rather than leaving it waiting")
  void thrownFailureCompletesTheRequest() {
    SharedReads reads = new SharedReads((from, limit) -> {
      throw new IllegalStateException("store closed");
    });

    assertThat(Futures.failureOf(reads.read(1, 10))).hasMessage("store closed");
    assertThat(reads.inFlight()).isZero();
  }

  private static List<Long> positions(EventPage page) {
    return page.events().stream().map(RecordedEvent::position).toList();
  }
}
