package io.herald.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The calls of the public API the load command makes, over one pool of HTTP/1.1 keep-alive connections. Answers
 * come back as they are: deciding what a status means is the caller's job.
 */
final class ApiClient {

  /** A request without an answer after this long fails, in milliseconds. */
  static final long REQUEST_TIMEOUT_MS = 30_000;

  private static final int KEEP_ALIVE_SECONDS = 20;

  private final WebClient client;
  private final String token;

  /**
   * @param poolSize connections to the node, the most requests in flight at once
   * @param token    the bearer token every request carries; {@code null} for a node with auth off
   */
  ApiClient(Vertx vertx, URI base, int poolSize, String token) {
    this.token = token;
    WebClientOptions options = new WebClientOptions()
        .setDefaultHost(base.getHost())
        .setDefaultPort(base.getPort())
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true)
        // the node closes a connection idle for http.idleTimeoutSeconds (60 s by default): dropping idle ones well
        // before, the driver never sends a request on a connection the node is closing at that moment
        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
        .setTcpNoDelay(true)
        .setUserAgent("herald-load");
    this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(-1));
  }

  Future<HttpResponse<Buffer>> registerUser(JsonObject user) {
    return request(client.post("/api/users")).sendJsonObject(user);
  }

  Future<HttpResponse<Buffer>> user(String userId, long minPosition) {
    return request(client.get("/api/users/" + encode(userId))).addQueryParam("minPosition", Long.toString(minPosition)).send();
  }

  Future<HttpResponse<Buffer>> placeOrder(JsonObject order) {
    return request(client.post("/api/orders")).sendJsonObject(order);
  }

  Future<HttpResponse<Buffer>> order(String orderId, long minPosition) {
    return request(client.get("/api/orders/" + encode(orderId))).addQueryParam("minPosition", Long.toString(minPosition)).send();
  }

  Future<HttpResponse<Buffer>> saga(String orderId) {
    return request(client.get("/api/sagas/saga-" + encode(orderId))).send();
  }

  /** Answers 200 only where the saga service runs. */
  Future<HttpResponse<Buffer>> breakers() {
    return request(client.get("/api/admin/breakers")).send();
  }

  Future<HttpResponse<Buffer>> setStock(String sku, int available) {
    return request(client.put("/api/inventory/" + encode(sku))).sendJsonObject(new JsonObject().put("available", available));
  }

  Future<HttpResponse<Buffer>> projections() {
    return request(client.get("/api/admin/projections")).send();
  }

  Future<HttpResponse<Buffer>> rebuild(String projection) {
    return request(client.post("/api/admin/projections/" + encode(projection) + "/rebuild")).send();
  }

  Future<HttpResponse<Buffer>> ready() {
    return request(client.get("/health/ready")).send();
  }

  void close() {
    client.close();
  }

  private HttpRequest<Buffer> request(HttpRequest<Buffer> request) {
    request.timeout(REQUEST_TIMEOUT_MS);
    return token == null ? request : request.bearerTokenAuthentication(token);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
