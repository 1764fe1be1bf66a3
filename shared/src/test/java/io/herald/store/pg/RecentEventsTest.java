package io.herald.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Recently decoded events")
class RecentEventsTest {

  private static final EventFactory EVENTS = new EventFactory(BlueprintEvents.registry(), "/herald/test");

  private static RecordedEvent at(long position) {
    return new RecordedEvent(position, "user-" + position,
        EVENTS.create(new UserRegistered("u" + position, "u" + position + "@example.org", "u" + position)));
  }

  @Test
  @DisplayName("the capacity is the next power of two, at least one and at most 65,536")
  void capacity() {
    assertThat(new RecentEvents(8_000).capacity()).isEqualTo(8_192);
    assertThat(new RecentEvents(4_096).capacity()).isEqualTo(4_096);
    assertThat(new RecentEvents(0).capacity()).isEqualTo(1);
    assertThat(new RecentEvents(1_000_000).capacity()).isEqualTo(65_536);
  }

  @Test
  @DisplayName("an event is found by its position and id; another id at that position, or a later event in its slot, is not")
  void findsByPositionAndId() {
    RecentEvents recent = new RecentEvents(4);
    RecordedEvent five = at(5);
    recent.put(five);
    assertThat(recent.get(5, five.envelope().id())).isSameAs(five);
    assertThat(recent.get(5, at(5).envelope().id())).as("another event at that position").isNull();
    assertThat(recent.get(6, five.envelope().id())).isNull();

    RecordedEvent nine = at(9);           // the same slot of four
    recent.put(nine);
    assertThat(recent.get(5, five.envelope().id())).as("pushed out").isNull();
    assertThat(recent.get(9, nine.envelope().id())).isSameAs(nine);
  }
}
