package io.herald.gateway.feed;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * One event as every feed client receives it, encoded once for all of them: the CloudEvents JSON text (a WebSocket
 * frame) and the Server-Sent Events frame whose {@code id} is the event's global position.
 *
 * @param position the global position
 * @param type     the event type, for the clients' filters
 * @param json     the event in the CloudEvents JSON format
 * @param sseFrame {@code id: <position>\ndata: <json>\n\n}
 */
public record FeedEvent(long position, String type, String json, Buffer sseFrame) {

  public static FeedEvent of(long position, String type, String json) {
    // compact JSON has no line breaks, so the whole event fits one data line
    byte[] frame = ("id: " + position + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    return new FeedEvent(position, type, json, Buffer.buffer(frame));
  }
}
