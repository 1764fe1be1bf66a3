package io.herald.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sequential steps")
class SequentialTest {

  @Test
  @DisplayName("100,000 steps that answer at once behind one that answers later complete, in order")
  void manyImmediateStepsBehindALateOne() {
    List<Integer> items = IntStream.range(0, 100_000).boxed().toList();
    Promise<Void> late = Promise.promise();
    List<Integer> ran = new ArrayList<>();

    Future<Void> all = Sequential.each(items, (i, item) -> {
      ran.add(item);
      return i == 0 ? late.future() : Future.succeededFuture();
    });
    assertThat(all.isComplete()).as("complete before the first step answered").isFalse();
    late.complete();   // as a chain of futures, the 99,999 completions that follow overflow the stack

    assertThat(all.succeeded()).as("succeeded: " + all.cause()).isTrue();
    assertThat(ran).isEqualTo(items);
  }

  @Test
  @DisplayName("the first failure, returned or thrown, ends the run and is its outcome")
  void stopsAtTheFirstFailure() {
    List<Integer> ran = new ArrayList<>();
    Future<Void> failed = Sequential.each(List.of(1, 2, 3, 4), (i, item) -> {
      ran.add(item);
      return item == 3 ? Future.failedFuture(new IllegalStateException("three")) : Future.succeededFuture();
    });
    Future<Void> threw = Sequential.each(List.of(1, 2), (i, item) -> {
      throw new IllegalArgumentException("thrown at " + item);
    });
    Future<Void> nothing = Sequential.each(List.of(1), (i, item) -> null);

    assertThat(ran).containsExactly(1, 2, 3);
    assertThat(failed.cause()).hasMessage("three");
    assertThat(threw.cause()).isInstanceOf(IllegalArgumentException.class).hasMessage("thrown at 1");
    assertThat(nothing.cause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("returned null");
  }
}
