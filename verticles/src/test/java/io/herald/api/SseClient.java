package io.herald.api;

import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A real Server-Sent Events client: one HTTP connection, frames parsed as the EventSource specification says. */
final class SseClient implements AutoCloseable {

  /** One dispatched message: its {@code id}, {@code event} name ({@code message} when none) and {@code data}. */
  record Message(String id, String event, String data) {
    JsonObject json() {
      return new JsonObject(data);
    }

    long position() {
      return Long.parseLong(id);
    }
  }

  private final HttpClient client;
  private HttpClientResponse response;
  private Future<Buffer> body;
  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final StringBuilder pending = new StringBuilder();

  private SseClient(HttpClient client) {
    this.client = client;
  }

  /** Opens {@code path} with {@code token} as a bearer header ({@code null}: none); a non-200 answer is returned as is by {@link #status()} with nothing parsed. */
  static SseClient open(Vertx vertx, int port, String path, String lastEventId, String token) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(path).addHeader("Accept", "text/event-stream");
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      options.addHeader("Last-Event-ID", lastEventId);
    }
    SseClient sse = new SseClient(client);
    // handlers are set as the response arrives, on its event loop: set later, the first frames would be lost
    sse.response = Futures.await(client.request(options).compose(r -> r.send()).map(response -> {
      if (response.statusCode() == 200) {
        response.handler(sse::onData);
        response.endHandler(v -> sse.ended.set(true));
        response.exceptionHandler(err -> sse.ended.set(true));
      } else {
        sse.body = response.body();
      }
      return response;
    }));
    return sse;
  }

  int status() {
    return response.statusCode();
  }

  String contentType() {
    return response.getHeader("Content-Type");
  }

  /** The body of an answer that is not a stream (a problem). */
  JsonObject problem() {
    return Futures.await(body).toJsonObject();
  }

  List<Message> messages() {
    return List.copyOf(messages);
  }

  /** Messages that are events (not {@code event: error}). */
  List<Message> events() {
    return messages.stream().filter(m -> "message".equals(m.event())).toList();
  }

  int comments() {
    return comments.get();
  }

  boolean ended() {
    return ended.get();
  }

  private synchronized void onData(Buffer data) {
    pending.append(data.toString(StandardCharsets.UTF_8));
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      parse(block);
    }
  }

  private void parse(String block) {
    String id = null;
    String event = "message";
    StringBuilder data = null;
    for (String line : block.split("\n")) {
      if (line.startsWith(":")) {
        comments.incrementAndGet();
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
      }
    }
    if (data != null) {
      messages.add(new Message(id, event, data.toString()));
    }
  }

  @Override
  public void close() {
    Futures.await(client.close());
  }
}
