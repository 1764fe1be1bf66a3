package io.herald.gateway;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers a request the HTTP codec could not read (a request line over the codec's limit, headers over
 * {@code http.maxHeaderBytes}, a malformed line or header) with a problem like every other error, then closes the
 * connection: what follows on it cannot be trusted to start a request.
 */
final class MalformedRequests {

  private MalformedRequests() {
  }

  static void answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String detail;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      detail = "the request line is too long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      detail = "the request headers are larger than the server takes (http.maxHeaderBytes)";
    } else {
      status = 400;
      detail = "malformed HTTP request" + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    request.response().setStatusCode(status).putHeader("Content-Type", Problems.CONTENT_TYPE).putHeader("Connection", "close")
        .end(Problems.of(status, detail, null).encode())
        .onComplete(sent -> request.connection().close());
  }
}
