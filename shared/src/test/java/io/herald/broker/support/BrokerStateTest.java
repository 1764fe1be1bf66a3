package io.herald.broker.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerUnavailableException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("BrokerState: the lifecycle every adapter shares")
class BrokerStateTest {

  private final BrokerState state = new BrokerState(() -> "test broker");

  @Test
  @DisplayName("one start at a time, again after a failed one, never after close")
  void lifecycle() {
    assertThat(state.unavailable()).isInstanceOf(BrokerUnavailableException.class)
        .hasMessage("broker 'test broker' is not started");
    assertThat(state.beginStart()).as("the caller starts").isNull();
    assertThat(state.beginStart().cause()).isInstanceOf(IllegalStateException.class)
        .hasMessage("broker 'test broker' is already starting");
    state.startFailed();
    assertThat(state.isStarting()).isFalse();
    assertThat(state.beginStart()).as("a failed start may be tried again").isNull();
    assertThat(state.started()).isTrue();
    assertThat(state.isStarted()).isTrue();
    assertThat(state.beginStart().succeeded()).as("starting a started broker succeeds").isTrue();
    assertThat(state.close()).isTrue();
    assertThat(state.close()).as("closing twice").isFalse();
    assertThat(state.beginStart().cause()).hasMessage("broker 'test broker' is closed");
  }

  @Test
  @DisplayName("a start that completes after close does not revive the broker")
  void closedWhileStarting() {
    assertThat(state.beginStart()).isNull();
    state.close();
    assertThat(state.started()).isFalse();
    state.startFailed();
    assertThat(state.isClosed()).isTrue();
  }
}
