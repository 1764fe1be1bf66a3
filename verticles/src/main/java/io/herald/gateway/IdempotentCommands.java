package io.herald.gateway;

import io.herald.command.CommandFailedException;
import io.herald.contract.CommandFields;
import io.herald.idempotency.Claim;
import io.herald.idempotency.IdempotencyStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a POST at most once per {@value #HEADER}: the first request runs and its result is kept; a retry with the
 * same key and the same request gets that result again ({@value #REPLAYED}: true) and stores no second event. The
 * same key on a different request is refused (422), and so is a retry while the first is still running (409).
 * A request that fails gives its key back, so a retry runs it again; one whose outcome is unknown (it timed out, or
 * the service's store failed after a commit that may have landed) keeps it: retries answer 409 until the outcome is
 * known (a route that can look it up, {@link #settledBy}, replays it from then on) or the claim goes stale.
 */
final class IdempotentCommands {

  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";

  private static final Logger log = LoggerFactory.getLogger(IdempotentCommands.class);

  private final IdempotencyStore store;
  private final Map<String, Function<RoutingContext, Future<Optional<ApiRoutes.Reply>>>> settled = new ConcurrentHashMap<>();

  IdempotentCommands(IdempotencyStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Names how to find the outcome of a request of {@code scope} ({@code POST /api/orders}) that is still in progress
   * for the key store, e.g. because its reply was lost to a timeout: the reply it would have given once its effect
   * is stored, empty while it is not.
   */
  void settledBy(String scope, Function<RoutingContext, Future<Optional<ApiRoutes.Reply>>> lookup) {
    settled.put(Objects.requireNonNull(scope, "scope"), Objects.requireNonNull(lookup, "lookup"));
  }

  /** The command message with the request's {@value #HEADER} in it, for a service that keys its effect by it. */
  static JsonObject keyed(RoutingContext rc, JsonObject message) {
    String key = rc.request().getHeader(HEADER);
    return key == null ? message : message.put(CommandFields.IDEMPOTENCY_KEY, key);
  }

  /** Sheds new work while a service is overloaded (the backpressure gate). */
  interface Shedding {

    /** @return whether new work would be refused now */
    boolean overloaded();

    /** @return whether the request was refused, and answered */
    boolean refuse(RoutingContext rc);
  }

  private static final Shedding NEVER = new Shedding() {
    @Override
    public boolean overloaded() {
      return false;
    }

    @Override
    public boolean refuse(RoutingContext rc) {
      return false;
    }
  };

  void run(RoutingContext rc, Supplier<Future<ApiRoutes.Reply>> command) {
    run(rc, command, NEVER);
  }

  /**
   * As {@link #run(RoutingContext, Supplier)}, but new work is refused while {@code shedding} says so. A retry whose
   * outcome is already known is still answered with it: shedding a replay would tell the client to try again later
   * for an order it already has.
   */
  void run(RoutingContext rc, Supplier<Future<ApiRoutes.Reply>> command, Shedding shedding) {
    String key = rc.request().getHeader(HEADER);
    if (key == null) {
      if (!shedding.refuse(rc)) {
        ApiRoutes.respond(rc, command.get());
      }
      return;
    }
    String scope = rc.request().method() + " " + rc.request().path();
    String body = rc.body() == null || rc.body().buffer() == null ? "" : rc.body().asString();
    store.claim(scope, key, fingerprint(scope, body))
        .onFailure(rc::fail)
        .onSuccess(claim -> {
          if (claim instanceof Claim.Acquired && shedding.overloaded()) {
            // not run: the key goes back, so a retry once the queue drained runs it
            store.release(scope, key).onComplete(released -> {
              if (!shedding.refuse(rc)) {
                run(rc, command, shedding);   // drained meanwhile
              }
            });
          } else if (claim instanceof Claim.Acquired) {
            command.get()
                .onSuccess(reply -> completeAndSend(rc, scope, key, reply, false))
                .onFailure(err -> failed(rc, scope, key, err));
          } else if (claim instanceof Claim.Replay replay) {
            replay(rc, ApiRoutes.Reply.fromJson(replay.result()));
          } else if (claim instanceof Claim.InProgress) {
            inProgress(rc, scope, key);
          } else {
            rc.fail(new ProblemException(422, HEADER + " '" + key + "' was already used for a different request", HEADER));
          }
        });
  }

  private void completeAndSend(RoutingContext rc, String scope, String key, ApiRoutes.Reply reply, boolean replayed) {
    store.complete(scope, key, reply.toJson())
        .onFailure(err -> log.warn("result of {} with {} '{}' not kept: {}", scope, HEADER, key, err.getMessage()))
        .onComplete(done -> {
          if (replayed) {
            replay(rc, reply);
          } else {
            reply.send(rc);
          }
        });
  }

  private static void replay(RoutingContext rc, ApiRoutes.Reply reply) {
    rc.response().putHeader(REPLAYED, "true");
    reply.send(rc);
  }

  private void failed(RoutingContext rc, String scope, String key, Throwable err) {
    if (!outcomeUnknown(err)) {
      store.release(scope, key).onComplete(released -> rc.fail(err));
      return;
    }
    // releasing the key now would let a retry run the command a second time, beside the one that may have landed
    CommandFailedException failure = (CommandFailedException) err;
    rc.fail(new ProblemException(failure.failure().code(), failure.getMessage() + "; its outcome is not known yet: "
        + "retry with the same " + HEADER + " '" + key + "' to get it", HEADER));
  }

  /**
   * A timeout, or the service's own report that its store failed (a commit may have landed before the connection
   * broke). No listener, a full queue and every refusal are known outcomes: nothing was done.
   */
  static boolean outcomeUnknown(Throwable err) {
    if (!(err instanceof CommandFailedException failure)) {
      return false;
    }
    return switch (failure.failure()) {
      case TIMEOUT -> true;
      case UNAVAILABLE -> failure.getCause() instanceof ReplyException reply
          && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE;
      default -> false;
    };
  }

  private void inProgress(RoutingContext rc, String scope, String key) {
    Function<RoutingContext, Future<Optional<ApiRoutes.Reply>>> lookup = settled.get(scope);
    Future<Optional<ApiRoutes.Reply>> outcome = lookup == null ? Future.succeededFuture(Optional.empty()) : lookup.apply(rc);
    outcome
        .recover(err -> {
          log.debug("outcome of {} with {} '{}' not looked up: {}", scope, HEADER, key, err.getMessage());
          return Future.succeededFuture(Optional.empty());
        })
        .onSuccess(found -> {
          if (found.isPresent()) {
            completeAndSend(rc, scope, key, found.get(), true);
          } else {
            rc.fail(new ProblemException(409,
                "a request with " + HEADER + " '" + key + "' is still being processed; retry later", HEADER));
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
