package io.herald.broker;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * A message exactly as a broker carried it: the bytes of its body, its headers (Kafka record headers, AMQP
 * properties and application properties, ...) as text, and where it was read from. Dead letters keep this form,
 * so a message that is not an event at all can still be shown, kept and redriven.
 *
 * @param payload     the body
 * @param headers     headers as text, in the broker's own names (e.g. {@code ce_type}, {@code cloudEvents:type});
 *                    empty when the broker has none
 * @param destination where it was read from, in the broker's terms: {@code events.order[2]@41} (Kafka topic,
 *                    partition, offset), {@code herald.notification} (a RabbitMQ queue), {@code events.order 1700-0}
 *                    (a Redis stream entry), {@code EVENTS events.order.created #17} (NATS stream, subject, sequence)
 */
public record RawMessage(Buffer payload, Map<String, String> headers, String destination) {

  public RawMessage {
    Objects.requireNonNull(payload, "payload");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    Objects.requireNonNull(destination, "destination");
  }

  /** @return the body as text when it is valid UTF-8, otherwise {@code null} */
  public String payloadText() {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(payload.getBytes()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
