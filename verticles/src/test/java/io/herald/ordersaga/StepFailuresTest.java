package io.herald.ordersaga;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.CommandFailedException;
import io.herald.command.CommandFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("How the order saga reads a failed command")
class StepFailuresTest {

  @Test
  @DisplayName("busy (429) is an answer that did nothing: the breaker lets it through, the engine waits and asks again")
  void busy() {
    CommandFailedException busy = CommandFailedException.busy("inventory queue full");
    assertThat(StepFailures.busy(busy)).isTrue();
    assertThat(StepFailures.answered(busy)).as("not a breaker failure").isTrue();
    assertThat(StepFailures.didNothing(busy)).isTrue();
    assertThat(StepFailures.refusal(busy)).as("not a refusal: a busy compensation is retried").isFalse();
  }

  @Test
  @DisplayName("a refusal is an answer, a timeout a fault of unknown effect")
  void refusalAndTimeout() {
    CommandFailedException conflict = CommandFailedException.conflict("order already shipped");
    assertThat(StepFailures.answered(conflict)).isTrue();
    assertThat(StepFailures.busy(conflict)).isFalse();
    CommandFailedException timeout = new CommandFailedException(CommandFailure.TIMEOUT, "no answer");
    assertThat(StepFailures.answered(timeout)).isFalse();
    assertThat(StepFailures.didNothing(timeout)).isFalse();
  }
}
