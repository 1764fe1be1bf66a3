package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.broker.lanes.AbstractLaneMessage;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/**
 * A message a {@link RabbitMqMember} read from its queue: the decoded event (or why it is not one), and what settling
 * it with RabbitMQ needs (the channel it came on and its delivery tag, the original properties and body for a dead
 * letter).
 */
final class RabbitMqLaneMessage extends AbstractLaneMessage {

  private final RabbitMqMember member;
  private final Channel channel;
  private final long deliveryTag;
  private final AMQP.BasicProperties properties;
  private final byte[] body;

  RabbitMqLaneMessage(RabbitMqMember member, Channel channel, long deliveryTag, String lane, RecordedEvent event,
                    UndecodableMessageException decodeFailure, RawMessage raw, int attempt,
                    AMQP.BasicProperties properties, byte[] body) {
    super(lane, event, decodeFailure, raw, attempt);
    this.member = member;
    this.channel = channel;
    this.deliveryTag = deliveryTag;
    this.properties = properties;
    this.body = body;
  }

  @Override
  public Future<Void> ack() {
    return member.ack(channel, deliveryTag);
  }

  @Override
  public Future<Void> deadLetter(Throwable reason, int attempts) {
    return member.deadLetter(channel, deliveryTag, properties, body, reason, attempts);
  }

  @Override
  public String toString() {
    return "message #" + deliveryTag + " of " + raw().destination() + (event() == null ? " (undecodable)"
        : " (position " + event().position() + ", " + event().type() + ", stream " + event().streamId() + ")");
  }
}
