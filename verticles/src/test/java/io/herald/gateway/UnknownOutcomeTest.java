package io.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.CommandFailedException;
import io.herald.command.CommandFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which failed commands keep their Idempotency-Key because what they did is not known. */
@DisplayName("Unknown outcomes of commands")
class UnknownOutcomeTest {

  private static CommandFailedException replied(CommandFailure failure) {
    return new CommandFailedException(failure, "failed",
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, failure.code(), "failed"));
  }

  @Test
  @DisplayName("a timeout, and a service reporting its store unavailable (a commit may have landed), are unknown")
  void unknown() {
    assertThat(IdempotentCommands.outcomeUnknown(new CommandFailedException(CommandFailure.TIMEOUT, "no answer",
        new ReplyException(ReplyFailure.TIMEOUT, "no answer")))).isTrue();
    assertThat(IdempotentCommands.outcomeUnknown(replied(CommandFailure.TIMEOUT))).isTrue();
    assertThat(IdempotentCommands.outcomeUnknown(replied(CommandFailure.UNAVAILABLE))).isTrue();
  }

  @Test
  @DisplayName("no service listening, a refusal sent before the command (no reply cause), a full queue and refusals are known")
  void known() {
    assertThat(IdempotentCommands.outcomeUnknown(new CommandFailedException(CommandFailure.UNAVAILABLE, "no service",
        new ReplyException(ReplyFailure.NO_HANDLERS, "no handlers")))).isFalse();
    assertThat(IdempotentCommands.outcomeUnknown(new CommandFailedException(CommandFailure.UNAVAILABLE, "shed"))).isFalse();
    assertThat(IdempotentCommands.outcomeUnknown(replied(CommandFailure.BUSY))).isFalse();
    assertThat(IdempotentCommands.outcomeUnknown(replied(CommandFailure.NOT_FOUND))).isFalse();
    assertThat(IdempotentCommands.outcomeUnknown(replied(CommandFailure.CONFLICT))).isFalse();
    assertThat(IdempotentCommands.outcomeUnknown(new IllegalStateException("bug"))).isFalse();
  }
}
