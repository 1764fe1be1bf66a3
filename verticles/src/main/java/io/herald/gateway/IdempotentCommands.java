package io.herald.gateway;

import io.herald.idempotency.Claim;
import io.herald.idempotency.IdempotencyStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a POST at most once per {@value #HEADER}: the first request runs and its result is kept; a retry with the
 * same key and the same request gets that result again ({@value #REPLAYED}: true) and stores no second event. The
 * same key on a different request is refused (422), and so is a retry while the first is still running (409).
 * A request that fails gives its key back, so a retry runs it again.
 */
final class IdempotentCommands {

  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";

  private static final Logger log = LoggerFactory.getLogger(IdempotentCommands.class);

  private final IdempotencyStore store;

  IdempotentCommands(IdempotencyStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  void run(RoutingContext rc, Supplier<Future<ApiRoutes.Reply>> command) {
    String key = rc.request().getHeader(HEADER);
    if (key == null) {
      ApiRoutes.respond(rc, command.get());
      return;
    }
    String scope = rc.request().method() + " " + rc.request().path();
    String body = rc.body() == null || rc.body().buffer() == null ? "" : rc.body().asString();
    store.claim(scope, key, fingerprint(scope, body))
        .onFailure(rc::fail)
        .onSuccess(claim -> {
          if (claim instanceof Claim.Acquired) {
            command.get()
                .onSuccess(reply -> store.complete(scope, key, reply.toJson())
                    .onFailure(err -> log.warn("result of {} with {} '{}' not kept: {}", scope, HEADER, key, err.getMessage()))
                    .onComplete(done -> reply.send(rc)))
                .onFailure(err -> store.release(scope, key).onComplete(released -> rc.fail(err)));
          } else if (claim instanceof Claim.Replay replay) {
            rc.response().putHeader(REPLAYED, "true");
            ApiRoutes.Reply.fromJson(replay.result()).send(rc);
          } else if (claim instanceof Claim.InProgress) {
            rc.fail(new ProblemException(409,
                "a request with " + HEADER + " '" + key + "' is still being processed; retry later", HEADER));
          } else {
            rc.fail(new ProblemException(422, HEADER + " '" + key + "' was already used for a different request", HEADER));
          }
        });
  }

  private static String fingerprint(String scope, String body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(scope.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(body.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
