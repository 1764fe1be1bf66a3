package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.api.ApiNode.User;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile input against a running node (every service but the saga), from a seeded generator: JSON depth bombs,
 * huge and malformed numbers, invalid UTF-8, wrong types, duplicate keys, 10 MB bodies, hostile headers, query
 * strings and path segments. Every answer is below 500 and every error is a problem; no request hangs; the node
 * stays ready; and the store holds exactly the events of the commands it accepted. The seed is printed; {@code -Dherald.fuzz.seed=<n>} replays a run, {@code -Dherald.fuzz.cases=<n>} sets
 * its size. Bodies and headers that trickle in are {@link HttpLimitsIT}'s part.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Hostile HTTP input, fuzzed")
class HostileInputIT {

  private static final int CASES = Integer.getInteger("herald.fuzz.cases", 10_000);
  private static final long SEED = Long.getLong("herald.fuzz.seed", System.nanoTime());
  /** The command event each accepted command stores (the saga is not deployed: nothing else follows). */
  private static final Map<String, String> EVENT_OF = Map.of(
      "POST /api/users", "user.registered",
      "POST /api/orders", "order.created",
      "PUT /api/inventory", "inventory.adjusted");

  private static final String[] HOSTILE_STRINGS = {
      "", " ", "\u0000", "\u0000\u0001\u001f", "💥🔥", "\uD800", "\uDFFF\uD800", "<script>alert(1)</script>",
      "' OR 1=1 --", "'; DROP TABLE events; --", "%00", "%ZZ", "../../etc/passwd", "${jndi:ldap://127.0.0.1/a}",
      "a".repeat(10_000), "é".repeat(3_000), "\r\n\r\nX-Injected: 1", "null", "true", "[]", "{}", "0x1F", "NaN"};
  private static final String[] HOSTILE_NUMBERS = {
      "0", "-1", "-0", "1e309", "-1e309", "1e-400", "123456789012345678901234567890", "9223372036854775808",
      "-9223372036854775809", "2147483648", "1.5", "0.0000000000000000000001", "1E2", "00012", "NaN", "Infinity",
      "1" + "0".repeat(5_000), "0." + "9".repeat(5_000)};
  private static final String[] CONTENT_TYPES = {
      "application/json", "application/json; charset=utf-8", "application/json; charset=iso-8859-1", "text/plain",
      "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json, text/plain",
      "application/JSON", "", "\u00ff\u00fe", "application/json; boundary=" + "b".repeat(2_000)};

  private ApiNode api;
  private User user;
  private String sku;
  private String orderId;
  private final Map<String, Integer> accepted = new TreeMap<>();
  private final Map<Integer, Integer> statuses = new TreeMap<>();

  @BeforeAll
  void start() {
    api = ApiNode.start(List.of(), ApiNode.WITHOUT_SAGA);
    user = api.registerUser();
    sku = ApiNode.unique("FUZZ");
    ApiNode.accepted(api.put("/api/inventory/" + sku, new JsonObject().put("available", 10)));
    orderId = api.placeOrder(user.userId(), "tok_visa", ApiNode.line(sku, 1, "1.00")).orderId();
    accepted.put("POST /api/users", 1);
    accepted.put("PUT /api/inventory", 1);
    accepted.put("POST /api/orders", 1);
  }

  @AfterAll
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** One hostile request. */
  private record Case(HttpMethod method, String path, String route, MultiMap headers, Buffer body) {
    String describe() {
      String shown = body == null ? "" : body.length() > 200 ? body.getString(0, 200, "ISO-8859-1") + "…(" + body.length() + " bytes)"
          : body.toString(StandardCharsets.ISO_8859_1);
      return method + " " + (path.length() > 200 ? path.substring(0, 200) + "…" : path) + " " + headers.names() + " " + shown;
    }
  }

  @Test
  @DisplayName("10,000 hostile requests: never a 5xx, never a hang, every error a problem, the node ready, nothing stored unasked")
  void fuzz() {
    System.out.printf("hostile input: seed %d (-Dherald.fuzz.seed=%d replays it), %d cases%n", SEED, SEED, CASES);
    SplittableRandom random = new SplittableRandom(SEED);
    List<String> failures = new ArrayList<>();
    int replayed = 0;
    for (int n = 0; n < CASES; n++) {
      Case c = next(random, n);
      HttpResponse<Buffer> response;
      try {
        HttpRequest<Buffer> request = api.request(c.method(), c.path()).timeout(10_000);
        request.putHeaders(c.headers());
        response = c.body() == null ? api.send(request) : api.send(request, c.body());
      } catch (RuntimeException e) {
        failures.add("case " + n + " got no answer (" + e + "): " + c.describe());
        continue;
      }
      int status = response.statusCode();
      statuses.merge(status, 1, Integer::sum);
      String type = String.valueOf(response.getHeader("Content-Type"));
      if (status >= 500) {
        failures.add("case " + n + " answered " + status + " " + response.bodyAsString() + ": " + c.describe());
      } else if (status >= 400 && !type.startsWith(ApiNode.PROBLEM_JSON)) {
        failures.add("case " + n + " answered " + status + " as " + type + ": " + c.describe());
      } else if (status == 202 && "true".equals(response.getHeader("Idempotent-Replayed"))) {
        replayed++;   // a key the pool of hostile keys used before, with the same body: the first answer again, nothing new
      } else if (status == 202 && EVENT_OF.containsKey(c.route())) {
        // a command that changed nothing (stock set to what it was) answers position 0 and stores nothing
        if (response.bodyAsJsonObject().getLong("position", 0L) > 0) {
          accepted.merge(c.route(), 1, Integer::sum);
        }
      } else if (status == 202) {
        failures.add("case " + n + " was accepted by a route the check does not count: " + c.describe());
      }
      if (failures.size() > 20) {
        break;
      }
      if (n % 1_000 == 999) {
        assertThat(api.get("/health/ready").statusCode()).as("ready after %d hostile requests", n + 1).isEqualTo(200);
      }
    }
    System.out.printf("hostile input: answers by status %s; accepted %s; %d replays of an earlier answer%n", statuses,
        accepted, replayed);
    assertThat(failures).as("seed %d", SEED).isEmpty();
    assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);

    Map<String, Integer> stored = new HashMap<>();
    long from = 1;
    while (true) {
      JsonObject page = api.getOk("/api/events?from=" + from + "&limit=1000");
      JsonArray events = page.getJsonArray("events");
      if (events.isEmpty()) {
        break;
      }
      // the notification service's emails follow from accepted registrations and orders; every other event is a command's
      events.stream().map(e -> ((JsonObject) e).getString("type")).filter(type -> !type.equals("email.sent"))
          .forEach(type -> stored.merge(type, 1, Integer::sum));
      from = page.getLong("next");
    }
    Map<String, Integer> expected = new HashMap<>();
    accepted.forEach((route, count) -> expected.put(EVENT_OF.get(route), count));
    assertThat(stored).as("events in the store: exactly those of accepted commands (seed %d)", SEED).isEqualTo(expected);
  }

  // ---- the generator

  private Case next(SplittableRandom r, int n) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (n < 3) {
      // 10 MB bodies, each a different shape: JSON text, one huge string, raw bytes
      Buffer big = switch (n) {
        case 0 -> Buffer.buffer("{\"email\":\"a@b.c\",\"username\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}");
        case 1 -> Buffer.buffer("[".repeat(10 * 1024 * 1024));
        default -> randomBytes(r, 10 * 1024 * 1024);
      };
      headers.add("Content-Type", "application/json");
      return new Case(HttpMethod.POST, "/api/users", "POST /api/users", headers, big);
    }
    int route = r.nextInt(8);
    return switch (route) {
      case 0, 1 -> command(r, headers, HttpMethod.POST, "/api/users", "POST /api/users", validUser(r));
      case 2, 3 -> command(r, headers, HttpMethod.POST, "/api/orders", "POST /api/orders", validOrder(r));
      case 4 -> command(r, headers, HttpMethod.PUT, "/api/inventory/" + segment(r, sku), "PUT /api/inventory",
          new JsonObject().put("available", r.nextInt(100)));
      // an order that does not exist, so that no transition is accepted and left uncounted
      case 5 -> command(r, headers, HttpMethod.POST, "/api/orders/" + segment(r, "ord-" + Long.toHexString(r.nextLong()))
          + "/" + pick(r, "pay", "ship", "cancel"), "POST /api/orders/{id}/action", new JsonObject());
      case 6 -> new Case(HttpMethod.GET, pick(r, "/api/events", "/api/audit", "/api/dead-letters",
          "/api/notifications") + "?" + query(r), "GET", headers(r, headers), null);
      default -> new Case(HttpMethod.GET, pick(r, "/api/users/", "/api/orders/", "/api/inventory/", "/api/streams/")
          + segment(r, pick(r, user.userId(), orderId, sku)) + (r.nextBoolean() ? "?minPosition=" + encoded(pick(r, HOSTILE_NUMBERS)) : ""),
          "GET", headers(r, headers), null);
    };
  }

  private Case command(SplittableRandom r, MultiMap headers, HttpMethod method, String path, String route, JsonObject valid) {
    headers(r, headers);
    if (!headers.contains("Content-Type") || r.nextInt(4) > 0) {
      headers.set("Content-Type", r.nextInt(5) == 0 ? pick(r, CONTENT_TYPES) : "application/json");
    }
    return new Case(method, path, route, headers, body(r, valid));
  }

  private Buffer body(SplittableRandom r, JsonObject valid) {
    return switch (r.nextInt(12)) {
      case 0 -> depthBomb(r);
      case 1 -> Buffer.buffer(withField(r, valid, rawNumber(r)));
      case 2 -> Buffer.buffer(withField(r, valid, "\"" + escape(pick(r, HOSTILE_STRINGS)) + "\""));
      case 3 -> Buffer.buffer(withField(r, valid, pick(r, "null", "true", "[]", "{}", "[1,2,3]", "{\"a\":{}}")));
      case 4 -> duplicateKeys(r, valid);
      case 5 -> invalidUtf8(r, valid);
      case 6 -> {
        String text = valid.encode();
        yield Buffer.buffer(text.substring(0, r.nextInt(Math.max(1, text.length()))));   // truncated
      }
      case 7 -> Buffer.buffer(valid.encode() + pick(r, "garbage", "}", ",", "\u0000", "{}", " [1]"));
      case 8 -> randomBytes(r, r.nextInt(1, 3_000));
      case 9 -> Buffer.buffer(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).appendString(valid.encode());   // BOM
      case 10 -> Buffer.buffer(pick(r, "", " ", "null", "[]", "\"text\"", "42", "{\"\":\"\"}"));
      default -> Buffer.buffer(withField(r, valid, "\"" + "z".repeat(r.nextInt(1_000, 70_000)) + "\""));
    };
  }

  private JsonObject validUser(SplittableRandom r) {
    String id = Long.toHexString(r.nextLong());
    return new JsonObject().put("email", "fuzz-" + id + "@example.org").put("username", "fuzz" + id.substring(0, 6));
  }

  private JsonObject validOrder(SplittableRandom r) {
    return new JsonObject().put("userId", user.userId())
        .put("items", new JsonArray().add(new JsonObject().put("sku", sku).put("quantity", 1).put("unitPrice", "1.00")))
        .put("shippingAddress", new JsonObject().put("street", "1 Fuzz Way").put("city", "Herald").put("postalCode", "10115")
            .put("country", "DE"))
        .put("payment", new JsonObject().put("token", "tok_visa"));
  }

  /** The valid body as text with one field, at any depth, replaced by {@code raw} JSON text. */
  private String withField(SplittableRandom r, JsonObject valid, String raw) {
    List<String> paths = new ArrayList<>();
    collect(valid, "", paths);
    if (paths.isEmpty()) {
      return "{\"field\":" + raw + "}";
    }
    String path = paths.get(r.nextInt(paths.size()));
    JsonObject copy = valid.copy();
    replace(copy, path.split("\\."), 0, "@@FUZZ@@");
    return copy.encode().replace("\"@@FUZZ@@\"", raw);
  }

  private static void collect(Object node, String prefix, List<String> paths) {
    if (node instanceof JsonObject o) {
      o.fieldNames().forEach(k -> {
        paths.add(prefix + k);
        collect(o.getValue(k), prefix + k + ".", paths);
      });
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        paths.add(prefix + i);
        collect(a.getValue(i), prefix + i + ".", paths);
      }
    }
  }

  private static void replace(Object node, String[] path, int at, String marker) {
    boolean last = at == path.length - 1;
    if (node instanceof JsonObject o) {
      if (last) {
        o.put(path[at], marker);
      } else {
        replace(o.getValue(path[at]), path, at + 1, marker);
      }
    } else if (node instanceof JsonArray a) {
      int index = Integer.parseInt(path[at]);
      if (last) {
        a.set(index, marker);
      } else {
        replace(a.getValue(index), path, at + 1, marker);
      }
    }
  }

  private String rawNumber(SplittableRandom r) {
    String n = pick(r, HOSTILE_NUMBERS);
    return n.equals("NaN") || n.equals("Infinity") || r.nextInt(4) > 0 ? n : "\"" + n + "\"";
  }

  private static Buffer depthBomb(SplittableRandom r) {
    int depth = r.nextInt(100, 50_000);
    String open = r.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    StringBuilder text = new StringBuilder(depth * 6);
    text.append(open.repeat(depth));
    if (r.nextBoolean()) {
      text.append("1").append(close.repeat(depth));   // complete: deep but well formed
    }
    return Buffer.buffer(text.toString());
  }

  private static Buffer duplicateKeys(SplittableRandom r, JsonObject valid) {
    String text = valid.encode();
    String key = valid.isEmpty() ? "field" : valid.fieldNames().iterator().next();
    if (valid.isEmpty()) {
      return Buffer.buffer("{\"field\":1,\"field\":" + (r.nextBoolean() ? "\"second\"" : "{\"x\":1}") + "}");
    }
    return Buffer.buffer(text.substring(0, text.length() - 1) + ",\"" + key + "\":"
        + (r.nextBoolean() ? "\"second\"" : "{\"x\":1}") + "}");
  }

  private static Buffer invalidUtf8(SplittableRandom r, JsonObject valid) {
    byte[] text = valid.encode().getBytes(StandardCharsets.UTF_8);
    int at = text.length > 12 ? r.nextInt(2, text.length - 2) : 1;
    byte[][] bad = {{(byte) 0xC3, (byte) 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0x28}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80}};
    byte[] inserted = bad[r.nextInt(bad.length)];
    return Buffer.buffer().appendBytes(text, 0, at).appendBytes(inserted).appendBytes(text, at, text.length - at);
  }

  private static Buffer randomBytes(SplittableRandom r, int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) r.nextInt(256);
    }
    return Buffer.buffer(bytes);
  }

  private MultiMap headers(SplittableRandom r, MultiMap headers) {
    switch (r.nextInt(6)) {
      case 0 -> headers.add("Idempotency-Key", headerSafe(pick(r, HOSTILE_STRINGS)));
      case 1 -> headers.add("Idempotency-Key", "k".repeat(r.nextInt(200, 12_000)));   // past http.maxHeaderBytes: 431
      case 2 -> headers.add("Accept", headerSafe(pick(r, CONTENT_TYPES)));
      case 3 -> headers.add("Last-Event-ID", headerSafe(pick(r, HOSTILE_NUMBERS)));
      case 4 -> headers.add("X-" + Long.toHexString(r.nextLong()), headerSafe(pick(r, HOSTILE_STRINGS)));
      default -> { }
    }
    return headers;
  }

  /** Header values cannot carry CR, LF or NUL on the wire: the client refuses them, so they are dropped here. */
  private static String headerSafe(String value) {
    return value.replaceAll("[\\r\\n\\u0000]", "").replaceAll("[^\\u0020-\\u00ff]", "?");
  }

  private String query(SplittableRandom r) {
    List<String> parts = new ArrayList<>();
    int count = r.nextInt(1, 5);
    for (int i = 0; i < count; i++) {
      String name = pick(r, "from", "limit", "after", "consumer", "orderId", "status", "to", "minPosition", "types", "x");
      String value = r.nextBoolean() ? pick(r, HOSTILE_NUMBERS) : pick(r, HOSTILE_STRINGS);
      parts.add(name + "=" + (r.nextInt(5) == 0 ? value.replaceAll("[^\\x21-\\x7e]", "") : encoded(value)));
    }
    return String.join("&", parts);
  }

  private String segment(SplittableRandom r, String valid) {
    return r.nextInt(4) == 0 ? valid : encoded(pick(r, HOSTILE_STRINGS) + (r.nextBoolean() ? valid : ""));
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String escape(String value) {
    StringBuilder out = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  @SafeVarargs
  private static <T> T pick(SplittableRandom r, T... options) {
    return options[r.nextInt(options.length)];
  }
}
