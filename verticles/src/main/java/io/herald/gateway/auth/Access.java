package io.herald.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call what: a request carries a bearer token (RFC 6750), in the {@code Authorization} header or, where a
 * browser cannot set headers (EventSource, SockJS), in the {@value #QUERY_PARAMETER} query parameter. Refusals are
 * {@link AccessDenied}: 401 for a missing or invalid token, 403 for a token without the scope.
 */
public final class Access {

  public static final String QUERY_PARAMETER = "access_token";
  private static final String BEARER = "bearer ";

  private final Tokens tokens;
  private final String realm;

  private Access(Tokens tokens, String realm) {
    this.tokens = tokens;
    this.realm = realm;
  }

  /** Every call needs a token these keys accept. */
  public static Access required(Tokens tokens) {
    return new Access(tokens, tokens.options().realm());
  }

  /** {@code auth.enabled: false}: every call is let through. */
  public static Access open() {
    return new Access(null, "herald");
  }

  public boolean enabled() {
    return tokens != null;
  }

  /** @return the node's keys; empty when auth is off */
  public Optional<Tokens> tokens() {
    return Optional.ofNullable(tokens);
  }

  /**
   * @param queryToken whether {@value #QUERY_PARAMETER} is accepted in place of the header
   * @return succeeds when the request's token is valid and grants {@code scope}; fails with {@link AccessDenied}
   */
  public Future<Void> require(HttpServerRequest request, Scope scope, boolean queryToken) {
    return require(request.headers(), queryToken ? request.getParam(QUERY_PARAMETER) : null, scope);
  }

  /** The same check from the parts of a request (a SockJS socket has its headers and URI, not the request). */
  public Future<Void> require(MultiMap headers, String queryToken, Scope scope) {
    if (tokens == null) {
      return Future.succeededFuture();
    }
    String header = headers == null ? null : headers.get("Authorization");
    String token;
    if (header != null) {
      if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.substring(BEARER.length()).isBlank()) {
        return Future.failedFuture(new AccessDenied(401, "the Authorization header must be 'Bearer <token>'",
            challenge("invalid_request", "the Authorization header must be 'Bearer <token>'", scope)));
      }
      token = header.substring(BEARER.length()).trim();
    } else if (queryToken != null && !queryToken.isBlank()) {
      token = queryToken.trim();
    } else {
      return Future.failedFuture(new AccessDenied(401, "a bearer token with scope '" + scope.claimName()
          + "' is required (Authorization: Bearer <token>)", challenge(null, null, scope)));
    }
    return tokens.verify(token).transform(ar -> {
      if (ar.failed()) {
        String reason = ar.cause().getMessage();
        return Future.failedFuture(new AccessDenied(401, "invalid token: " + reason, challenge("invalid_token", reason, null)));
      }
      Set<Scope> granted = ar.result();
      if (!granted.contains(scope)) {
        String reason = "this call needs a token with scope '" + scope.claimName() + "'; the token grants "
            + (granted.isEmpty() ? "none" : "'" + Scope.claim(granted) + "'");
        return Future.failedFuture(new AccessDenied(403, reason, challenge("insufficient_scope", reason, scope)));
      }
      return Future.succeededFuture();
    });
  }

  /** @return whether the request carries a valid token with {@code scope} (true when auth is off); never fails */
  public Future<Boolean> grants(HttpServerRequest request, Scope scope) {
    return require(request, scope, false).map(true).otherwise(false);
  }

  private String challenge(String error, String description, Scope scope) {
    StringBuilder value = new StringBuilder("Bearer realm=\"").append(quoted(realm)).append('"');
    if (error != null) {
      value.append(", error=\"").append(error).append('"');
    }
    if (description != null) {
      value.append(", error_description=\"").append(quoted(description)).append('"');
    }
    if (scope != null) {
      value.append(", scope=\"").append(scope.claimName()).append('"');
    }
    return value.toString();
  }

  private static String quoted(String text) {
    return text.replace("\\", "\\\\").replace("\"", "'");
  }
}
