package io.herald.delivery;

import io.herald.broker.RawMessage;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.UUID;

/**
 * A message a consumer gave up on: the message as the broker carried it, where it failed, and why.
 *
 * @param id            the dead letter's own id
 * @param seq           listing order, assigned by the store (0 before it is stored)
 * @param consumer      the consumer group it failed in
 * @param broker        the broker it came from ({@link io.herald.broker.MessageBroker#name()})
 * @param message       the body, headers and destination, exactly as received
 * @param eventId       the event's id, or {@code null} when the message is not an event
 * @param eventType     the event's type, or {@code null}
 * @param streamId      the event's stream, or {@code null}
 * @param position      the event's global position, or 0
 * @param attempts      how many times handling was tried (0 for a message that could not be read)
 * @param lastError     the last failure, as text
 * @param firstFailedAt when handling first failed
 * @param lastFailedAt  when it last failed (a failed redrive moves it)
 * @param redrives      redrives that failed again
 */
public record DeadLetter(UUID id, long seq, String consumer, String broker, RawMessage message, UUID eventId,
                         String eventType, String streamId, long position, int attempts, String lastError,
                         Instant firstFailedAt, Instant lastFailedAt, int redrives) {

  public DeadLetter {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(firstFailedAt, "firstFailedAt");
    Objects.requireNonNull(lastFailedAt, "lastFailedAt");
  }

  public DeadLetter withSeq(long assigned) {
    return new DeadLetter(id, assigned, consumer, broker, message, eventId, eventType, streamId, position, attempts,
        lastError, firstFailedAt, lastFailedAt, redrives);
  }

  public DeadLetter redriveFailed(String error, Instant at) {
    return new DeadLetter(id, seq, consumer, broker, message, eventId, eventType, streamId, position, attempts,
        error, firstFailedAt, at, redrives + 1);
  }

  /** The API form: the payload as text when it is UTF-8, otherwise base64 in {@code payloadBase64}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("consumer", consumer)
        .put("broker", broker)
        .put("destination", message.destination());
    if (eventId != null) {
      json.put("eventId", eventId.toString()).put("eventType", eventType).put("streamId", streamId).put("position", position);
    }
    String text = message.payloadText();
    if (text != null) {
      json.put("payload", text);
    } else {
      json.put("payloadBase64", Base64.getEncoder().encodeToString(message.payload().getBytes()));
    }
    return json
        .put("headers", new JsonObject(new LinkedHashMap<String, Object>(message.headers())))
        .put("attempts", attempts)
        .put("lastError", lastError)
        .put("firstFailedAt", firstFailedAt.toString())
        .put("lastFailedAt", lastFailedAt.toString())
        .put("redrives", redrives);
  }
}
