package io.herald.bench.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeoutException;

/** Short names for what went wrong with a request, the keys of the report's error counts. */
final class Failures {

  private static final int DETAIL_MAX = 60;

  private Failures() {
  }

  /** @return e.g. {@code POST 503} */
  static String status(String method, HttpResponse<Buffer> response) {
    return method + " " + response.statusCode();
  }

  /** @return e.g. {@code GET timeout} or {@code POST io: Connection refused} */
  static String transport(String method, Throwable err) {
    if (err instanceof TimeoutException || err.getClass().getSimpleName().contains("Timeout")) {
      return method + " timeout";
    }
    return method + " io: " + oneLine(err);
  }

  /** @return the problem's detail (or title) when the body is problem+json, else the body's start */
  static String detail(HttpResponse<Buffer> response) {
    Buffer body = response.body();
    if (body == null || body.length() == 0) {
      return "no body";
    }
    try {
      JsonObject problem = body.toJsonObject();
      String text = problem.getString("detail", problem.getString("title"));
      if (text != null) {
        return text;
      }
    } catch (DecodeException | ClassCastException e) {
      // not JSON: the text itself
    }
    String text = body.toString().replaceAll("\\s+", " ").trim();
    return text.length() <= DETAIL_MAX ? text : text.substring(0, DETAIL_MAX) + "...";
  }

  static String oneLine(Throwable err) {
    String message = err.getMessage() == null || err.getMessage().isBlank() ? err.getClass().getSimpleName() : err.getMessage();
    message = message.replaceAll("\\s+", " ").trim();
    return message.length() <= DETAIL_MAX ? message : message.substring(0, DETAIL_MAX) + "...";
  }
}
