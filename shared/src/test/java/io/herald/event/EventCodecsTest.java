package io.herald.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
@DisplayName("Event codecs on the event bus")
class EventCodecsTest {

  @Test
  @DisplayName("an envelope sent on the local event bus arrives unchanged")
  void envelopeTravelsLocally(Vertx vertx, VertxTestContext ctx) {
    EventRegistry registry = BlueprintEvents.registry();
    EventCodecs.register(vertx.eventBus(), registry);
    EventEnvelope sent = new EventFactory(registry, "user-service").create(new UserRegistered("u-1", "ada@example.org", "ada"));

    vertx.eventBus().<EventEnvelope>consumer("test.envelopes", msg -> ctx.verify(() -> {
      assertThat(msg.body()).isEqualTo(sent);
      ctx.completeNow();
    })).completion().onSuccess(v -> vertx.eventBus().send("test.envelopes", sent)).onFailure(ctx::failNow);
  }

  @Test
  @DisplayName("registering the codecs twice on one event bus fails, so they are registered once per Vert.x instance")
  void registeringTwiceFails(Vertx vertx) {
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());

    assertThatThrownBy(() -> EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry()))
        .isInstanceOf(IllegalStateException.class);
  }
}
