package io.herald.bridge;

import io.herald.broker.PublishRefusedException;
import io.herald.broker.RawMessage;
import io.herald.broker.StructuredCloudEvents;
import io.herald.delivery.DeadLetter;
import io.herald.delivery.DeadLetterStore;
import io.herald.delivery.DeliveryListener;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.herald.relay.PublishListener;
import io.herald.relay.RefusedEventHandler;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The relay's listener: confirmed events go on to {@code published} (metrics), and an event the broker refused for
 * good becomes a dead letter of consumer {@value #CONSUMER} (listed at {@code /api/dead-letters}, counted in
 * {@code dead_letters_total{consumer="relay"}}), carrying the event as a structured CloudEvent and the broker's reason.
 */
public final class RelayDeadLetters implements PublishListener, RefusedEventHandler {

  /** The consumer name of the relay's dead letters. */
  public static final String CONSUMER = "relay";

  private final PublishListener published;
  private final DeadLetterStore store;
  private final DeliveryListener counted;
  private final String brokerName;
  private final StructuredCloudEvents json;

  public RelayDeadLetters(PublishListener published, DeadLetterStore store, DeliveryListener counted, String brokerName,
                          EventRegistry registry) {
    this.published = Objects.requireNonNull(published, "published");
    this.store = Objects.requireNonNull(store, "store");
    this.counted = Objects.requireNonNull(counted, "counted");
    this.brokerName = Objects.requireNonNull(brokerName, "brokerName");
    this.json = new StructuredCloudEvents(registry);
  }

  @Override
  public void published(List<RecordedEvent> events) {
    published.published(events);
  }

  @Override
  public Future<Void> refused(RecordedEvent event, PublishRefusedException reason) {
    Instant now = Instant.now();
    // one dead letter per event: a refusal repeated after a restart updates it
    UUID id = UUID.nameUUIDFromBytes((CONSUMER + "\u0000" + event.envelope().id()).getBytes(StandardCharsets.UTF_8));
    RawMessage message = new RawMessage(json.encode(event), Map.of("content-type", StructuredCloudEvents.CONTENT_TYPE),
        "relay to " + brokerName + " at position " + event.position());
    DeadLetter letter = new DeadLetter(id, 0, CONSUMER, brokerName, message, event.envelope().id(), event.type(),
        event.streamId(), event.position(), 1, String.valueOf(reason.getMessage()), now, now, 0);
    return store.add(letter).map(kept -> {
      counted.deadLettered(CONSUMER, event.type());
      return null;
    });
  }
}
